package io.mapperd.multipathd.print;

import java.util.List;

/**
 * multipath-tools' format strings over a wildcard table: {@code %X} becomes the value (padded to
 * the column's width when widths are given), an unknown {@code %X} prints nothing, other text is
 * copied, and each line ends with a newline. Column widths are the widest value (and, for `show`
 * with a header, the header), capped at 255 as multipath-tools caps them.
 */
public final class Columns {
    private static final int MAX_FIELD_WIDTH = 255;

    private Columns() {
    }

    /** Widths for every wildcard of {@code table} over {@code items}, starting at the header widths or at zero. */
    public static <T> int[] widths(List<Wildcard<T>> table, List<T> items, boolean header) {
        int[] w = new int[table.size()];
        for (int j = 0; j < table.size(); j++) {
            w[j] = header ? table.get(j).header().length() : 0;
        }
        widen(table, items, w);
        return w;
    }

    /** Widens {@code w} to fit {@code items} (multipath -ll's per-map layout). */
    public static <T> void widen(List<Wildcard<T>> table, List<T> items, int[] w) {
        for (int j = 0; j < table.size(); j++) {
            for (T item : items) {
                w[j] = Math.max(w[j], Math.min(table.get(j).value().apply(item).length(), MAX_FIELD_WIDTH));
            }
        }
    }

    public static <T> void header(StringBuilder out, List<Wildcard<T>> table, String format, int[] widths) {
        print(out, table, format, widths, null, true);
    }

    /** One line for {@code item}; {@code widths} null prints values unpadded. */
    public static <T> void line(StringBuilder out, List<Wildcard<T>> table, String format, T item, int[] widths) {
        print(out, table, format, widths, item, false);
    }

    private static <T> void print(StringBuilder out, List<Wildcard<T>> table, String format, int[] widths, T item,
                                  boolean header) {
        int pos = 0;
        int pct;
        while ((pct = format.indexOf('%', pos)) >= 0) {
            out.append(format, pos, pct);
            if (pct + 1 >= format.length()) {
                pos = format.length();
                break;
            }
            char c = format.charAt(pct + 1);
            pos = pct + 2;
            int j = lookup(table, c);
            if (j < 0) {
                continue;
            }
            Wildcard<T> wc = table.get(j);
            String v = header ? wc.header() : wc.value().apply(item);
            out.append(v);
            if (widths != null && v.length() < widths[j]) {
                out.repeat(' ', widths[j] - v.length());
            }
        }
        out.append(format, pos, format.length()).append('\n');
    }

    static <T> int lookup(List<Wildcard<T>> table, char c) {
        for (int j = 0; j < table.size(); j++) {
            if (table.get(j).letter() == c) {
                return j;
            }
        }
        return -1;
    }
}
