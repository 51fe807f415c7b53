package io.mapperd.multipathd.engine;

import io.mapperd.conf.MultipathConfig;
import io.mapperd.conf.ResolvedSettings;
import io.mapperd.dm.targets.multipath.HwHandlerRegistry;
import io.mapperd.multipathd.engine.group.GroupMember;
import io.mapperd.multipathd.engine.group.Grouping;
import io.mapperd.multipathd.engine.group.PathGroup;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.engine.table.MapTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides a map's table from its paths and the merged configuration, as multipath-tools'
 * setup_map and assemble_map do: settings from the map's WWID and its first path's device entry,
 * grouping by path_grouping_policy (group order by the paths' known priorities, not by their
 * current state, so a path failure never reloads the table), features adjusted for no_path_retry,
 * the hardware handler, path_selector, rr_min_io_rq and rr_weight. Pure: it changes nothing.
 */
final class MapPlanner {
    private MapPlanner() {
    }

    /**
     * @param namer gives the map's name from its WWID and settings (aliases, bindings)
     * @param queueDisabled no_path_retry ran out: the table leaves queue_if_no_path off
     */
    static MapPlan plan(String wwid, List<PathRecord> members, MultipathConfig config, Namer namer,
                        boolean queueDisabled) {
        ResolvedSettings s = config.forMap(wwid, members.getFirst().info.identity());
        List<String> warnings = new ArrayList<>();
        String policy = s.string("path_grouping_policy");
        if (policy == null || !Grouping.POLICIES.contains(policy)) {
            warnings.add("path_grouping_policy " + policy + " is not supported; using failover");
            policy = "failover";
        }
        boolean marginalGroups = "on".equals(s.string("marginal_pathgroups"));
        List<GroupMember> gm = new ArrayList<>();
        long size = Long.MAX_VALUE;
        for (PathRecord p : members) {
            gm.add(new GroupMember(p.info.devT(), p.priority, true, p.info.serial(), p.info.targetWwnn(), p.info.tpg(),
                    p.marginal));
            size = Math.min(size, p.info.sizeSectors());
        }
        List<PathGroup> groups = Grouping.group(policy, gm, marginalGroups);
        int npr = Policies.noPathRetry(s);
        String configured = s.string("features");
        boolean configuredQueue = configured != null && configured.contains("queue_if_no_path");
        boolean queue = !queueDisabled && (npr == Policies.NPR_QUEUE || npr > 0
                || (npr == Policies.NPR_UNDEF && configuredQueue));
        String features;
        try {
            features = MapTable.features(configured, queue);
        } catch (IllegalArgumentException e) {
            warnings.add(e.getMessage() + "; using no features");
            features = MapTable.features("0", queue);
        }
        // multipath-tools forces queue_mode bio on maps with NVMe/TCP paths
        if (members.stream().anyMatch(p -> "nvme:tcp".equals(p.info.protocol()))) {
            features = MapTable.withQueueModeBio(features);
        }
        String hw = s.string("hardware_handler");
        if (hw == null || hw.isBlank()) {
            hw = "0";
        }
        String attached = attachedHandler(members);
        if (attached != null) {
            // retain_attached_hw_handler, always on since Linux 4.3: the handler the kernel attached wins
            hw = "1 " + attached;
        }
        List<String> hwWords;
        try {
            hwWords = MapTable.counted(hw, "hardware_handler");
        } catch (IllegalArgumentException e) {
            warnings.add(e.getMessage());
            hwWords = List.of();
        }
        if (!hwWords.isEmpty() && HwHandlerRegistry.global().create(hwWords.getFirst()).isEmpty()) {
            warnings.add("hardware handler " + hwWords.getFirst() + " is not available in this build; the map goes without it");
            hwWords = List.of();
        }
        hw = hwWords.isEmpty() ? "0" : hwWords.size() + " " + String.join(" ", hwWords);
        String selector = s.string("path_selector");
        if (selector == null || selector.isBlank()) {
            selector = "service-time 0";
        }
        if (!selector.trim().contains(" ")) {
            selector = selector.trim() + " 0";
        }
        int minIo = Math.max(1, Policies.intValue(s, "rr_min_io_rq", 1));
        boolean byPrio = "priorities".equals(s.string("rr_weight"));
        String params = MapTable.params(features, hw, selector, groups, 1, minIo, byPrio);
        return new MapPlan(wwid, namer.apply(wwid, s), s, groups, features, hw, selector, size, params, warnings);
    }

    /** The device handler the kernel has attached to a path (sysfs dh_state), as multipath-tools reads it, or null. */
    private static String attachedHandler(List<PathRecord> members) {
        for (PathRecord p : members) {
            if (p.io.sysfsDir().isEmpty()) {
                continue;
            }
            try {
                String dh = java.nio.file.Files.readString(p.io.sysfsDir().get().resolve("dh_state")).strip();
                if (!dh.isEmpty() && !dh.equals("detached")) {
                    return dh;
                }
            } catch (java.io.IOException e) {
                // no handler attribute: nothing attached
            }
        }
        return null;
    }

    /** Names a map from its WWID and settings. */
    interface Namer {
        String apply(String wwid, ResolvedSettings settings);
    }
}
