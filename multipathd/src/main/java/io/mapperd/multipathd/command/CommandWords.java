package io.mapperd.multipathd.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multipathd command line as multipath-tools does: blanks separate words; a double
 * quote opens and closes a string that keeps its blanks (two double quotes inside stand for
 * one); a line starting with '!' or '#' is a comment; outside a string '!' or '#' ends the line.
 * Quote marks are words of their own here ({@link #QUOTE}), as in multipath-tools, which skips
 * them when it reads keywords but counts them when it decides whether an unknown word was the last.
 */
public final class CommandWords {
    /** Stands for a double quote mark in the split line. */
    public static final String QUOTE = "\"";

    private CommandWords() {
    }

    /** The words of {@code line}, or null when there are none (blank line or comment). */
    public static List<String> split(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && skippable(line.charAt(i))) {
            i++;
        }
        if (i >= n || line.charAt(i) == '!' || line.charAt(i) == '#') {
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean inString = false;
        while (true) {
            char c = i < n ? line.charAt(i) : '\0';
            if (c == '"' && !(inString && i + 1 < n && line.charAt(i + 1) == '"')) {
                i++;
                out.add(QUOTE);
                inString = !inString;
            } else if (!inString && (c == '{' || c == '}')) {
                out.add(String.valueOf(c));
                i++;
            } else {
                StringBuilder w = new StringBuilder();
                while (i < n) {
                    char d = line.charAt(i);
                    if (inString && d == '"' && i + 1 < n && line.charAt(i + 1) == '"') {
                        w.append('"');
                        i += 2;
                        continue;
                    }
                    if (d == '"' || (!inString && (skippable(d) || d == '!' || d == '#' || d == '{' || d == '}'))) {
                        break;
                    }
                    w.append(d);
                    i++;
                }
                out.add(w.toString());
            }
            while (!inString && i < n && skippable(line.charAt(i))) {
                i++;
            }
            if (i >= n || (!inString && (line.charAt(i) == '!' || line.charAt(i) == '#'))) {
                return out;
            }
        }
    }

    private static boolean skippable(char c) {
        return Character.isWhitespace(c) && c < 128 || c >= 128;
    }
}
