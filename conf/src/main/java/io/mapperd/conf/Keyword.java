package io.mapperd.conf;

/**
 * One keyword of a section: its name, value type and, for integers, the accepted range.
 * {@code canonical} names the keyword it is an alias of ({@code checker} for {@code path_checker}).
 */
public record Keyword(String name, ValueType type, long min, long max, int argCountIndex, boolean zeroIsUnset,
                      String canonical) {

    public static Keyword of(String name, ValueType type) {
        return new Keyword(name, type, 0, 0, 0, false, name);
    }

    public static Keyword range(String name, long min, long max) {
        return new Keyword(name, ValueType.INT, min, max, 0, false, name);
    }

    /** An integer where 0 means "not set" (multipath-tools prints nothing or the default for it). */
    public static Keyword rangeZeroUnset(String name, long min, long max) {
        return new Keyword(name, ValueType.INT, min, max, 0, true, name);
    }

    public static Keyword args(String name, int countIndex) {
        return new Keyword(name, ValueType.ARG_STRING, 0, 0, countIndex, false, name);
    }

    public static Keyword alias(String name, Keyword of) {
        return new Keyword(name, of.type(), of.min(), of.max(), of.argCountIndex(), of.zeroIsUnset(), of.name());
    }

    public boolean isAlias() {
        return !canonical.equals(name);
    }

    public ParsedValue parse(String raw) {
        return type.parse(this, raw);
    }

    public String print(Object value) {
        return type.print(this, value);
    }
}
