package io.mapperd.multipathd.print;

import io.mapperd.multipathd.view.PathView;

import java.util.List;
import java.util.Locale;

/**
 * {@code show status}: how many paths are in each checker state, named as multipath-tools names
 * the states (up, down, ghost...; not the chk_st words ready, faulty), in its order; then the
 * number of monitored paths, and whether events are waiting (this daemon has no uevent queue).
 */
public final class StatusPrinter {
    private static final List<String> STATES =
            List.of("wild", "unchecked", "down", "up", "shaky", "ghost", "pending", "timeout", "removed", "delayed");

    private StatusPrinter() {
    }

    public static String status(List<PathView> paths) {
        int[] count = new int[STATES.size()];
        int monitored = 0;
        for (PathView p : paths) {
            count[STATES.indexOf(stateName(p.checkerState()))]++;
            if (p.dev() != null && !p.dev().isEmpty() && !"removed".equals(p.initState())) {
                monitored++;
            }
        }
        StringBuilder out = new StringBuilder("path checker states:\n");
        for (int i = 0; i < STATES.size(); i++) {
            if (count[i] > 0) {
                out.append(String.format(Locale.ROOT, "%-20s%d\n", STATES.get(i), count[i]));
            }
        }
        return out.append("\npaths: ").append(monitored).append("\nbusy: False\n").toString();
    }

    /** The state name behind a chk_st word. */
    static String stateName(String chk) {
        return switch (chk == null ? "" : chk) {
            case "ready", "up" -> "up";
            case "faulty", "down" -> "down";
            case "shaky" -> "shaky";
            case "ghost" -> "ghost";
            case "i/o pending", "pending" -> "pending";
            case "i/o timeout", "timeout" -> "timeout";
            case "delayed" -> "delayed";
            case "removed" -> "removed";
            case "wild" -> "wild";
            default -> "unchecked";
        };
    }
}
