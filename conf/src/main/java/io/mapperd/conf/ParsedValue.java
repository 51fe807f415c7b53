package io.mapperd.conf;

/**
 * The outcome of parsing one keyword's value: the typed value to store (null when the value is
 * ignored) and, when something was wrong, a problem message of the given severity.
 */
public record ParsedValue(Object value, Severity severity, String message) {

    public static ParsedValue ok(Object value) {
        return new ParsedValue(value, null, null);
    }

    public static ParsedValue ignored(String message) {
        return new ParsedValue(null, Severity.WARNING, message);
    }

    public static ParsedValue fatal(String message) {
        return new ParsedValue(null, Severity.ERROR, message);
    }

    public static ParsedValue adjusted(Object value, String message) {
        return new ParsedValue(value, Severity.WARNING, message);
    }

    public boolean hasProblem() {
        return message != null;
    }
}
