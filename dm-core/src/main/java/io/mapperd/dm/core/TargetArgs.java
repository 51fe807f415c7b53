package io.mapperd.dm.core;

import java.util.List;

/**
 * A cursor over a target's arguments, as the kernel's dm_arg_set: every target reads its
 * arguments through it, so bad arguments are reported the same way everywhere.
 */
public final class TargetArgs {
    private final List<String> argv;
    private int next;

    public TargetArgs(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public int remaining() {
        return argv.size() - next;
    }

    public boolean hasNext() {
        return next < argv.size();
    }

    public String peek() {
        return hasNext() ? argv.get(next) : null;
    }

    /** The next argument, or the given error when there is none. */
    public String next(String errorIfMissing) throws TargetException {
        if (!hasNext()) {
            throw new TargetException(errorIfMissing);
        }
        return argv.get(next++);
    }

    /** An unsigned decimal in [min, max], as dm_read_arg. */
    public long nextUnsigned(long min, long max, String error) throws TargetException {
        return parseUnsigned(next(error), min, max, error);
    }

    /** The group-count form, as dm_read_arg_group: a count that must not exceed what remains. */
    public int nextGroupCount(long min, long max, String error) throws TargetException {
        long n = nextUnsigned(min, max, error);
        if (n > remaining()) {
            throw new TargetException(error);
        }
        return (int) n;
    }

    public void skip(int n) {
        next = Math.min(argv.size(), next + n);
    }

    /** Parses as the kernel's sscanf("%llu%c") / kstrtoull would: digits only, no trailing text. */
    public static long parseUnsigned(String s, long min, long max, String error) throws TargetException {
        if (s == null || s.isEmpty() || s.length() > 20) {
            throw new TargetException(error);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new TargetException(error);
            }
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new TargetException(error);
        }
        if (v < min || v > max) {
            throw new TargetException(error);
        }
        return v;
    }
}
