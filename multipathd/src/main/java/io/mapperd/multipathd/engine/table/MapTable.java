package io.mapperd.multipathd.engine.table;

import io.mapperd.multipathd.engine.group.GroupMember;
import io.mapperd.multipathd.engine.group.PathGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The multipath table in the kernel's syntax, as multipath-tools assembles it:
 * {@code FEATURES HWHANDLER NR_GROUPS INIT_GROUP} then per group
 * {@code SELECTOR NR_PATHS 1 (DEV MINIO)*}, with MINIO rr_min_io_rq, times the path's priority when
 * rr_weight is priorities.
 */
public final class MapTable {
    private MapTable() {
    }

    /**
     * @param features  the features string, counted ("1 queue_if_no_path")
     * @param hwHandler the hardware handler string, counted ("1 alua" or "0")
     * @param selector  path selector with its counted args ("service-time 0")
     * @param initGroup 1-based group to start with
     */
    public static String params(String features, String hwHandler, String selector, List<PathGroup> groups,
                                int initGroup, int minIo, boolean weightByPrio) {
        StringBuilder b = new StringBuilder();
        b.append(features).append(' ').append(hwHandler).append(' ').append(groups.size()).append(' ')
                .append(groups.isEmpty() ? 0 : initGroup);
        for (PathGroup g : groups) {
            b.append(' ').append(selector).append(' ').append(g.members().size()).append(" 1");
            for (GroupMember m : g.members()) {
                int io = weightByPrio && m.priority() > 0 ? minIo * m.priority() : minIo;
                b.append(' ').append(m.devT()).append(' ').append(io);
            }
        }
        return b.toString();
    }

    /** The whole table line: {@code 0 SIZE multipath PARAMS}. */
    public static String line(long sizeSectors, String params) {
        return "0 " + sizeSectors + " multipath " + params;
    }

    /**
     * A counted features string with queue_if_no_path added or removed, as multipath-tools adjusts
     * the configured features for no_path_retry.
     *
     * @throws IllegalArgumentException when the count does not match the words
     */
    public static String features(String configured, boolean queueIfNoPath) {
        List<String> words = counted(configured == null || configured.isBlank() ? "0" : configured, "features");
        words.remove("queue_if_no_path");
        if (queueIfNoPath) {
            words.addFirst("queue_if_no_path");
        }
        return words.size() + (words.isEmpty() ? "" : " " + String.join(" ", words));
    }

    /** {@code features} with its queue_mode, if any, replaced by queue_mode bio. */
    public static String withQueueModeBio(String features) {
        List<String> words = counted(features, "features");
        int i = words.indexOf("queue_mode");
        if (i >= 0) {
            words.subList(i, Math.min(i + 2, words.size())).clear();
        }
        words.add("queue_mode");
        words.add("bio");
        return words.size() + " " + String.join(" ", words);
    }

    /** The features a multipath table line echoes ("0 131072 multipath 2 queue_mode bio 0 ..."), as a counted string. */
    public static java.util.Optional<String> echoedFeatures(String tableLine) {
        String[] w = tableLine.trim().split("\\s+");
        if (w.length < 4 || !w[2].equals("multipath")) {
            return java.util.Optional.empty();
        }
        int n = Integer.parseInt(w[3]);
        return java.util.Optional.of(String.join(" ", List.of(w).subList(3, 4 + n)));
    }

    /** A counted string's words ("2 pg_init_retries 50" → [pg_init_retries, 50]). */
    public static List<String> counted(String s, String what) {
        String[] w = s.trim().split("\\s+");
        int n;
        try {
            n = Integer.parseInt(w[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + s + "' does not start with its word count");
        }
        if (n != w.length - 1) {
            throw new IllegalArgumentException(what + " '" + s + "' counts " + n + " words but has " + (w.length - 1));
        }
        List<String> out = new ArrayList<>(List.of(w).subList(1, w.length));
        return out;
    }
}
