package io.mapperd.conf;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** POSIX extended regular expressions (as regcomp REG_EXTENDED) compiled to Java patterns. */
public final class PosixRegex {
    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"), Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("punct", "\\p{Punct}"), Map.entry("print", "\\p{Print}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("xdigit", "\\p{XDigit}"));

    private PosixRegex() {
    }

    /** Compiles {@code regex}; throws PatternSyntaxException when it is not a valid expression. */
    public static Pattern compile(String regex) {
        StringBuilder sb = new StringBuilder();
        boolean inBracket = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (inBracket && c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
                int end = regex.indexOf(":]", i + 2);
                if (end < 0) {
                    throw new PatternSyntaxException("unterminated character class", regex, i);
                }
                String cls = CLASSES.get(regex.substring(i + 2, end));
                if (cls == null) {
                    throw new PatternSyntaxException("unknown character class", regex, i);
                }
                sb.append(cls);
                i = end + 1;
                continue;
            }
            if (!inBracket && c == '[') {
                inBracket = true;
                sb.append(c);
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    sb.append('^');
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    sb.append("\\]");
                    i++;
                }
                continue;
            }
            if (inBracket && c == ']') {
                inBracket = false;
            } else if (inBracket && (c == '[' || c == '&' || c == '\\')) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return Pattern.compile(sb.toString());
    }

    /** True when {@code regex} compiles. */
    public static boolean isValid(String regex) {
        try {
            compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Unanchored search, as regexec does. An invalid expression matches nothing. */
    public static boolean find(String regex, String text) {
        try {
            return compile(regex).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
