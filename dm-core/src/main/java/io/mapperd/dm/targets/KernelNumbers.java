package io.mapperd.dm.targets;

import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;

/**
 * The kernel's number parsers as the basic and fault targets use them: kstrtouint (an optional
 * leading '+', decimal digits, at most 2^32-1) and sscanf("%llu%c") / ("%u%c") (digits, nothing after).
 */
final class KernelNumbers {
    static final long UINT_MAX = 0xFFFF_FFFFL;

    private KernelNumbers() {
    }

    /** kstrtouint(s, 10, ...): returns the value or throws with {@code error}. */
    static long kstrtouint(String s, String error) throws TargetException {
        String digits = s != null && s.startsWith("+") ? s.substring(1) : s;
        return TargetArgs.parseUnsigned(digits, 0, UINT_MAX, error);
    }

    /** kstrtouint, and the value must not be 0: returns it or throws with {@code error}. */
    static long nonZeroUint(String s, String error) throws TargetException {
        long v = kstrtouint(s, error);
        if (v == 0) {
            throw new TargetException(error);
        }
        return v;
    }

    /** sscanf(s, "%llu%c") == 1: a sector number. */
    static long sector(String s, String error) throws TargetException {
        return TargetArgs.parseUnsigned(s, 0, Long.MAX_VALUE, error);
    }

    /** sscanf(s, "%u%c") == 1. */
    static long uint(String s, String error) throws TargetException {
        return TargetArgs.parseUnsigned(s, 0, UINT_MAX, error);
    }
}
