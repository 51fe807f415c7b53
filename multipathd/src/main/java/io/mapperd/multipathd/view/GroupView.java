package io.mapperd.multipathd.view;

import java.util.List;

/**
 * One priority group of a map as `multipath -ll` shows it.
 *
 * @param selector  path selector with its arguments as in the table ("service-time 0")
 * @param priority  the group's priority
 * @param status    "active", "enabled" or "disabled"
 * @param marginal  the group holds marginal paths
 * @param paths     paths in table order
 */
public record GroupView(String selector, int priority, String status, boolean marginal, List<PathView> paths) {
    public GroupView {
        paths = List.copyOf(paths);
    }
}
