package io.mapperd.multipathd.engine;

import java.util.List;

/**
 * What a reconfigure did (or, for a dry run, would do).
 *
 * @param ok       the new configuration was read and checked; false leaves everything as it was
 * @param dryRun   nothing was changed
 * @param message  one line: the reason for a refusal, or a summary
 * @param changes  one line per map created, reloaded, renamed or removed ("reload mpatha: OLD -> NEW")
 */
public record ReconfigureResult(boolean ok, boolean dryRun, String message, List<String> changes) {
    public ReconfigureResult {
        changes = List.copyOf(changes);
    }

    /** As the command language prints it: the message then the changes. */
    public String text() {
        StringBuilder b = new StringBuilder(message);
        for (String c : changes) {
            b.append('\n').append(c);
        }
        return b.toString();
    }
}
