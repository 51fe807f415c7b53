package io.mapperd.multipathd.dmsetup;

/** The line-drawing symbols of `ls --tree` (ascii, utf or vt100, as `-o` picks them). */
record TreeDrawing(String empty, String branch, String vertical, String last) {
    static final TreeDrawing ASCII = new TreeDrawing("  ", "|-", "| ", "`-");
    static final TreeDrawing UTF = new TreeDrawing("  ", "\u251c\u2500", "\u2502 ", "\u2514\u2500");
    static final TreeDrawing VT100 = new TreeDrawing("  ", "\033(0\017tq\033(B", "\033(0\017x\033(B ", "\033(0\017mq\033(B");
}
