package io.mapperd.conf.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one multipath.conf line into tokens as multipath-tools does: "#" and "!" start a comment
 * outside quotes, "{" and "}" are tokens of their own, a quote is a token, a doubled quote inside
 * a quoted string stands for one quote, and non-ASCII bytes outside quotes count as blanks.
 */
public final class LineTokenizer {

    private LineTokenizer() {
    }

    /** The tokens of {@code line}; empty for a blank or comment line. */
    public static List<Token> tokenize(String line) {
        List<Token> out = new ArrayList<>();
        int n = line.length();
        int cp = 0;
        while (cp < n && blank(line.charAt(cp))) {
            cp++;
        }
        if (cp >= n || line.charAt(cp) == '!' || line.charAt(cp) == '#') {
            return out;
        }
        boolean inString = false;
        while (true) {
            int before = cp;
            char c = line.charAt(cp);
            if (c == '"' && !(inString && cp + 1 < n && line.charAt(cp + 1) == '"')) {
                out.add(Token.QUOTE);
                cp++;
                inString = !inString;
            } else if (!inString && (c == '{' || c == '}')) {
                out.add(Token.word(String.valueOf(c)));
                cp++;
            } else {
                StringBuilder sb = new StringBuilder();
                while (cp < n) {
                    char d = line.charAt(cp);
                    if (d == '"') {
                        if (inString && cp + 1 < n && line.charAt(cp + 1) == '"') {
                            sb.append('"');
                            cp += 2;
                            continue;
                        }
                        break;
                    }
                    if (!inString && (blank(d) || d == '!' || d == '#' || d == '{' || d == '}')) {
                        break;
                    }
                    sb.append(d);
                    cp++;
                }
                out.add(Token.word(sb.toString()));
            }
            if (cp == before) {
                cp++;
            }
            while (!inString && cp < n && blank(line.charAt(cp))) {
                cp++;
            }
            if (cp >= n || (!inString && (line.charAt(cp) == '!' || line.charAt(cp) == '#'))) {
                return out;
            }
        }
    }

    /** Whitespace, or a non-ASCII character, which multipath-tools skips like whitespace. */
    static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c > 127;
    }
}
