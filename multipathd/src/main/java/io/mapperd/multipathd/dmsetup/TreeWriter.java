package io.mapperd.multipathd.dmsetup;

/**
 * Writes `ls --tree` lines as dmsetup does: each node on its own line, indented by one blank and
 * two drawing characters per level, lines cut at 80 columns with "..." unless notrunc.
 */
final class TreeWriter {
    static final int WIDTH = 80;
    private static final int MAX_DEPTH = 100;

    private final StringBuilder out;
    private final TreeDrawing sym;
    private final boolean truncate;
    private final boolean[] more = new boolean[MAX_DEPTH + 1];
    private int x = 1;
    private char held;

    TreeWriter(StringBuilder out, TreeDrawing sym, boolean truncate) {
        this.out = out;
        this.sym = sym;
        this.truncate = truncate;
    }

    /** Marks whether more siblings follow the node about to be written at {@code depth}. */
    void more(int depth, boolean value) {
        more[depth] = value;
    }

    void prefix(int depth) {
        for (int d = 0; d < depth; d++) {
            put(" ");
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
    private void put(char c) {
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
