package io.mapperd.prioritizers;

/**
 * The {@code exclusive_pref_bit} prio argument of alua and sysfs: with it, the preferred bit adds 80
 * even to an active/optimized path, so a preferred path sorts alone into the first group.
 */
final class ExclusivePrefArg {
    static final String WORD = "exclusive_pref_bit";

    private ExclusivePrefArg() {
    }

    /** Whether {@code args} holds the word, as a whole word (blank-separated). */
    static boolean in(String args) {
        if (args == null) {
            return false;
        }
        for (String w : args.trim().split("[ \t]+")) {
            if (w.equals(WORD)) {
                return true;
            }
        }
        return false;
    }
}
