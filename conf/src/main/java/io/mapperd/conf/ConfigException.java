package io.mapperd.conf;

import java.util.List;

/** A configuration that multipath-tools would refuse as a whole; carries every problem found. */
public final class ConfigException extends Exception {
    private final transient List<Problem> problems;

    public ConfigException(String message, List<Problem> problems) {
        super(message + describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (p.severity() == Severity.ERROR) {
                sb.append(System.lineSeparator()).append("  ").append(p);
            }
        }
        return sb.toString();
    }
}
