package io.mapperd.dm.core.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest {
    @Test
    void observationsLandInTheFirstBucketWhoseBoundHoldsThemAndCountsAreCumulative() {
        LatencyHistogram h = new LatencyHistogram();
        double[] bounds = LatencyHistogram.boundsSeconds();
        h.record(10_000);            // 10 µs -> le 50 µs
        h.record(50_000);            // exactly on the bound: inclusive
        h.record(3_000_000);         // 3 ms -> le 5 ms
        h.record(20_000_000_000L);   // 20 s -> +Inf only
        h.record(-5);                // a clock step counts as zero
        long[] c = h.cumulativeCounts();
        assertEquals(bounds.length + 1, c.length);
        assertEquals(3, c[0]);
        int fiveMs = java.util.Arrays.binarySearch(bounds, 0.005);
        assertEquals(3, c[fiveMs - 1]);
        assertEquals(4, c[fiveMs]);
        assertEquals(4, c[bounds.length - 1]);
        assertEquals(5, c[bounds.length]);
        assertEquals(20.00306, h.sumSeconds(), 1e-9);
    }

    @Test
    void boundsAreIncreasingFrom50MicrosecondsTo10Seconds() {
        double[] b = LatencyHistogram.boundsSeconds();
        assertEquals(0.00005, b[0], 1e-12);
        assertEquals(10.0, b[b.length - 1], 1e-12);
        double[] sorted = b.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, b);
    }
}
