package io.mapperd.multipathd.dmsetup;

/** The line-drawing symbols of `ls --tree` (ascii, utf or vt100, as `-o` picks them). */
record TreeDrawing(String empty, String branch, String vertical, String last, String single, String first) {
    static final TreeDrawing ASCII = new TreeDrawing("  ", "|-", "| ", "`-", "---", "-+-");
    static final TreeDrawing UTF = new TreeDrawing("  ", "\u251c\u2500", "\u2502 ", "\u2514\u2500",
            "\u2500\u2500\u2500", "\u2500\u252c\u2500");
    static final TreeDrawing VT100 = new TreeDrawing("  ", vt("tq"), vt("x") + " ", vt("mq"), vt("qqq"), vt("qwq"));

    private static String vt(String graphic) {
        return "\033(0\017" + graphic + "\033(B";
    }
}
