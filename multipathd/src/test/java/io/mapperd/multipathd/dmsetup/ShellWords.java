package io.mapperd.multipathd.dmsetup;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line of the reference captures (commands.tsv) into words as bash does for the
 * quoting they use: blanks separate words, '...' is literal, $'...' takes backslash escapes
 * (\n, \t, \\, \'), "..." is literal but for \" and \\, a backslash outside quotes escapes the next
 * character. Anything else bash would expand ($VAR, globs) is refused, so no command is replayed
 * other than as written.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated '...' in: " + line);
                }
                w.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i = ansiC(line, i + 2, w);
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, w);
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '$' || c == '`' || c == '*' || c == '?' || c == '[' || c == '|' || c == ';' || c == '&'
                    || c == '<' || c == '>') {
                throw new IllegalArgumentException("shell syntax the replay does not expand (" + c + ") in: " + line);
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    /** $'...' from {@code i} (after the opening quote); returns the index after the closing quote. */
    private static int ansiC(String line, int i, StringBuilder w) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(i + 1);
                switch (e) {
                    case 'n' -> w.append('\n');
                    case 't' -> w.append('\t');
                    case '\\' -> w.append('\\');
                    case '\'' -> w.append('\'');
                    case '"' -> w.append('"');
                    default -> throw new IllegalArgumentException("escape \\" + e + " in $'...' not supported: " + line);
                }
                i += 2;
            } else {
                w.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated $'...' in: " + line);
    }

    private static int doubleQuoted(String line, int i, StringBuilder w) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                w.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '$' || c == '`') {
                throw new IllegalArgumentException("expansion in \"...\" not supported: " + line);
            } else {
                w.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated \"...\" in: " + line);
    }
}
