package io.mapperd.conf;

/** Where a setting or rule was written: its level, file and line. */
public record Origin(Source source, String file, int line) {

    public static final Origin NONE = new Origin(Source.BUILTIN_DEFAULT, "", 0);

    public Origin withSource(Source other) {
        return new Origin(other, file, line);
    }

    /** "devices section, /etc/multipath.conf:12". */
    public String describe() {
        if (file.isEmpty()) {
            return source.label();
        }
        return source.label() + ", " + file + (line > 0 ? ":" + line : "");
    }

    @Override
    public String toString() {
        return describe();
    }
}
