package io.mapperd.multipathd.dmsetup;

/**
 * Writes `ls --tree` lines as dmsetup does: each level indented by its width (compact mode) plus
 * one blank and two drawing characters, lines cut at 80 columns with "..." unless notrunc.
 */
final class TreeWriter {
    static final int WIDTH = 80;
    static final int MAX_DEPTH = 100;

    private final StringBuilder out;
    private final TreeDrawing sym;
    private final boolean truncate;
    private final boolean[] more = new boolean[MAX_DEPTH + 2];
    private final int[] width = new int[MAX_DEPTH + 2];
    private int x = 1;
    private char held;

    TreeWriter(StringBuilder out, TreeDrawing sym, boolean truncate) {
        this.out = out;
        this.sym = sym;
        this.truncate = truncate;
    }

    TreeDrawing symbols() {
        return sym;
    }

    /** Marks whether more siblings follow the node about to be written at {@code depth}. */
    void more(int depth, boolean value) {
        more[depth] = value;
    }

    boolean more(int depth) {
        return more[depth];
    }

    /** The width a compact node took at {@code depth} (its children's lines are indented by it). */
    void width(int depth, int value) {
        width[depth] = value;
    }

    /** The current column, 1 at the start of a line. */
    int column() {
        return x;
    }

    void prefix(int depth) {
        for (int d = 0; d < depth; d++) {
            put(" ".repeat(width[d] + 1));
            if (d == depth - 1) {
                put(more[depth] ? sym.branch() : sym.last());
            } else {
                put(more[d + 1] ? sym.vertical() : sym.empty());
            }
        }
    }

    void put(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    /** One character; escape sequences count as printable, as dmsetup counts bytes that start a character. */
    void put(char c) {
        x++;
        if (!truncate) {
            out.append(c);
            return;
        }
        if (x <= WIDTH) {
            out.append(c);
        }
        if (x == WIDTH + 1) {
            if (held != 0 || c > 127) {
                out.append("...");
            } else {
                held = c;
                x--;
            }
        }
    }

    void newline() {
        if (held != 0 && x == WIDTH) {
            out.append(held);
        }
        held = 0;
        out.append('\n');
        x = 1;
    }
}
