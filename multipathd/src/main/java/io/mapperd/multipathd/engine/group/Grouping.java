package io.mapperd.multipathd.engine.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * path_grouping_policy: splits a map's paths into priority groups and orders them best first:
 * higher group priority, then more usable paths; marginal groups last. Paths keep device-number
 * order within a group.
 */
public final class Grouping {
    public static final List<String> POLICIES = List.of("failover", "multibus", "group_by_serial", "group_by_prio",
            "group_by_node_name", "group_by_tpg");

    private Grouping() {
    }

    /**
     * @param marginalGroups marginal_pathgroups on: marginal paths are grouped separately, after the others
     * @throws IllegalArgumentException for an unknown policy
     */
    public static List<PathGroup> group(String policy, List<GroupMember> paths, boolean marginalGroups) {
        if (!POLICIES.contains(policy)) {
            throw new IllegalArgumentException("unknown path_grouping_policy '" + policy + "' (want one of "
                    + String.join(", ", POLICIES) + ")");
        }
        List<GroupMember> sorted = new ArrayList<>(paths);
        sorted.sort(Comparator.comparing(GroupMember::devT));
        List<PathGroup> out = new ArrayList<>();
        if (marginalGroups) {
            out.addAll(split(policy, sorted.stream().filter(m -> !m.marginal()).toList(), false));
            out.addAll(split(policy, sorted.stream().filter(GroupMember::marginal).toList(), true));
        } else {
            out.addAll(split(policy, sorted, false));
        }
        out.sort(Comparator.comparing(PathGroup::marginal)
                .thenComparing(Comparator.comparingInt(PathGroup::priority).reversed())
                .thenComparing(Comparator.comparingLong(PathGroup::usableCount).reversed()));
        return out;
    }

    private static List<PathGroup> split(String policy, List<GroupMember> paths, boolean marginal) {
        if (paths.isEmpty()) {
            return List.of();
        }
        return switch (policy) {
            case "failover" -> paths.stream().map(p -> PathGroup.of(List.of(p), marginal)).toList();
            case "multibus" -> List.of(PathGroup.of(paths, marginal));
            case "group_by_serial" -> by(paths, GroupMember::serial, marginal);
            case "group_by_prio" -> by(paths, GroupMember::priority, marginal);
            case "group_by_node_name" -> by(paths, GroupMember::nodeName, marginal);
            default -> by(paths, GroupMember::tpg, marginal);
        };
    }

    private static List<PathGroup> by(List<GroupMember> paths, Function<GroupMember, Object> key, boolean marginal) {
        Map<Object, List<GroupMember>> m = new LinkedHashMap<>();
        for (GroupMember p : paths) {
            m.computeIfAbsent(Objects.requireNonNullElse(key.apply(p), ""), k -> new ArrayList<>()).add(p);
        }
        return m.values().stream().map(l -> PathGroup.of(l, marginal)).toList();
    }
}
