package io.mapperd.multipathd.print;

import java.util.List;

/** {@code show wildcards}: every wildcard of the three tables with its header. */
public final class WildcardsPrinter {
    private WildcardsPrinter() {
    }

    public static String wildcards() {
        StringBuilder out = new StringBuilder("multipath format wildcards:\n");
        list(out, MapWildcards.ALL);
        out.append("\npath format wildcards:\n");
        list(out, PathWildcards.ALL);
        out.append("\npathgroup format wildcards:\n");
        list(out, MapWildcards.GROUP);
        return out.toString();
    }

    private static <T> void list(StringBuilder out, List<Wildcard<T>> table) {
        for (Wildcard<T> w : table) {
            out.append('%').append(w.letter()).append("  ").append(w.header()).append('\n');
        }
    }
}
