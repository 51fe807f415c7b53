package io.mapperd.multipathd.print;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sizes as multipath-tools prints them ({@code size=64M}, {@code 1.5G}): kibibytes divided by 1024
 * in single precision until below 1024 (or petabytes), one decimal below 10, none above, rounded
 * as glibc's printf rounds (the exact binary value, ties to even).
 */
public final class Sizes {
    private static final char[] UNITS = {'K', 'M', 'G', 'T', 'P'};

    private Sizes() {
    }

    public static String of(long sectors) {
        float s = (float) (sectors >>> 1);
        int u = 0;
        while (s >= 1024 && u < UNITS.length - 1) {
            s = s / 1024;
            u++;
        }
        int decimals = s < 10 ? 1 : 0;
        return new BigDecimal(s).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + UNITS[u];
    }
}
