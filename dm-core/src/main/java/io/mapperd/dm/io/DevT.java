package io.mapperd.dm.io;

/** A device number, printed as the kernel prints it: MAJOR:MINOR. */
public record DevT(int major, int minor) implements Comparable<DevT> {
    public static final int DM_MAJOR = 253;
    public static final int LOOP_MAJOR = 7;

    public static DevT parse(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("not a MAJOR:MINOR device number: " + s);
        }
        return new DevT(Integer.parseInt(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
    }

    public static boolean looksLike(String s) {
        return s.matches("\\d+:\\d+");
    }

    @Override
    public int compareTo(DevT o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
