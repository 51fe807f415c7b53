package io.mapperd.multipathd.engine;

import io.mapperd.conf.ResolvedSettings;
import io.mapperd.multipathd.engine.group.PathGroup;

import java.util.List;

/**
 * What a map should be under a configuration: its name, settings, groups and table parameters.
 *
 * @param name       alias, user-friendly name, or the WWID
 * @param params     the multipath target's parameters (the table line without "0 SIZE multipath")
 * @param warnings   what the plan had to leave out (an unregistered hardware handler...)
 */
public record MapPlan(String wwid, String name, ResolvedSettings settings, List<PathGroup> groups, String features,
                      String hwHandler, String selector, long sizeSectors, String params, List<String> warnings) {
    public MapPlan {
        groups = List.copyOf(groups);
        warnings = List.copyOf(warnings);
    }
}
