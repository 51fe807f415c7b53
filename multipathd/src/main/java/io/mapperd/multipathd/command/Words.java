package io.mapperd.multipathd.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Command lines on the control socket are words separated by blanks; a word may be quoted with
 * single quotes (taken literally, newlines included) or double quotes (backslash escapes " and \),
 * as a shell would. Clients quote every argument with {@link #quote} so any argv survives the trip.
 */
public final class Words {
    private Words() {
    }

    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' quote in command: " + line);
                }
                w.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated \" quote in command: " + line);
                    }
                    char d = line.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        d = line.charAt(++i);
                    }
                    w.append(d);
                    i++;
                }
                inWord = true;
            } else if (c == '\\' && i + 1 < n) {
                w.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }

    /** One word, quoted so {@link #split} gives it back unchanged. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> c > ' ' && c != '\'' && c != '"' && c != '\\' && c < 127)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }
}
