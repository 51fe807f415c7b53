package io.mapperd.conf;

/** One keyword's typed value and where it was written. */
public record Setting(Keyword keyword, Object value, Origin origin) {

    public String name() {
        return keyword.name();
    }

    /** The value as {@code multipath -t} prints it, or null if it prints nothing. */
    public String printed() {
        return keyword.print(value);
    }

    public boolean isUnset() {
        return keyword.type().isUnset(keyword, value);
    }

    public Setting withOrigin(Origin other) {
        return new Setting(keyword, value, other);
    }

    @Override
    public String toString() {
        String p = printed();
        return name() + " " + (p == null ? String.valueOf(value) : p) + " (" + origin.describe() + ")";
    }
}
