package io.mapperd.multipathd.print;

/** multipath-tools' progress bar ({@code XXXXXXX... 15/20}) for next_check and failback countdowns. */
public final class Progress {
    private static final int LEN = 10;

    private Progress() {
    }

    public static String of(int cur, int total) {
        StringBuilder b = new StringBuilder();
        if (total > 0) {
            int x = LEN * cur / total;
            b.append("X".repeat(Math.max(0, x))).append(".".repeat(Math.max(0, LEN - x)));
        }
        return b.append(' ').append(cur).append('/').append(total).toString();
    }
}
