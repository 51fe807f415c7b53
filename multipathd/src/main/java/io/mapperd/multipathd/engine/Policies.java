package io.mapperd.multipathd.engine;

import io.mapperd.conf.ResolvedSettings;

/** Reading the policy keywords of a resolved configuration, with multipath-tools' meanings. */
public final class Policies {
    /** failback: IMMEDIATE, MANUAL, FOLLOWOVER or a number of seconds ≥ 0 (0 is taken as immediate). */
    public static final int FAILBACK_MANUAL = -1;
    public static final int FAILBACK_IMMEDIATE = -2;
    public static final int FAILBACK_FOLLOWOVER = -3;
    /** no_path_retry: QUEUE, FAIL, UNDEF or a number of checks > 0. */
    public static final int NPR_QUEUE = -1;
    public static final int NPR_FAIL = -2;
    public static final int NPR_UNDEF = 0;

    private Policies() {
    }

    public static int failback(ResolvedSettings s) {
        String v = s.string("failback");
        if (v == null) {
            return FAILBACK_MANUAL;
        }
        return switch (v) {
            case "manual" -> FAILBACK_MANUAL;
            case "immediate" -> FAILBACK_IMMEDIATE;
            case "followover" -> FAILBACK_FOLLOWOVER;
            default -> {
                int n = parseInt(v, FAILBACK_MANUAL);
                yield n == 0 ? FAILBACK_IMMEDIATE : n;
            }
        };
    }

    public static String failbackText(int fb) {
        return switch (fb) {
            case FAILBACK_MANUAL -> "manual";
            case FAILBACK_IMMEDIATE -> "immediate";
            case FAILBACK_FOLLOWOVER -> "followover";
            default -> Integer.toString(fb);
        };
    }

    public static int noPathRetry(ResolvedSettings s) {
        String v = s.string("no_path_retry");
        if (v == null) {
            return NPR_UNDEF;
        }
        return switch (v) {
            case "queue" -> NPR_QUEUE;
            case "fail" -> NPR_FAIL;
            default -> Math.max(NPR_UNDEF, parseInt(v, NPR_UNDEF));
        };
    }

    /** A numeric keyword, or {@code dflt} when unset, "no" or not a number. */
    public static int intValue(ResolvedSettings s, String keyword, int dflt) {
        String v = s.string(keyword);
        return v == null ? dflt : parseInt(v, dflt);
    }

    public static boolean yes(ResolvedSettings s, String keyword) {
        String v = s.string(keyword);
        return v != null && (v.equals("yes") || v.equals("true") || v.equals("on"));
    }

    private static int parseInt(String v, int dflt) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
