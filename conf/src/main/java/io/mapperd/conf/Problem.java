package io.mapperd.conf;

/** One problem found in a configuration source, located by file and line (line 0 when it concerns the whole file). */
public record Problem(Severity severity, String file, int line, String message) {

    public static Problem warning(String file, int line, String message) {
        return new Problem(Severity.WARNING, file, line, message);
    }

    public static Problem error(String file, int line, String message) {
        return new Problem(Severity.ERROR, file, line, message);
    }

    public static Problem notice(String file, int line, String message) {
        return new Problem(Severity.NOTICE, file, line, message);
    }

    /** "FILE:LINE: severity: message", the form {@code conf check} prints. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file;
        return where + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
