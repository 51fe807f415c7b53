package io.mapperd.dm.core.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bucket bounds, updated without allocating or locking (one
 * LongAdder per bucket, like the kernel's per-cpu counters), read at scrape time. The bounds are
 * the same for every histogram so dashboards can aggregate across devices.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets in nanoseconds (inclusive), 50 µs to 10 s; above that is +Inf. */
    private static final long[] BOUNDS_NANOS = {
            50_000L, 100_000L, 250_000L, 500_000L,
            1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L,
            1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Bucket upper bounds in seconds, without +Inf. */
    public static double[] boundsSeconds() {
        double[] s = new double[BOUNDS_NANOS.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = BOUNDS_NANOS[i] / 1e9;
        }
        return s;
    }

    /** Records one observation; negative values (a clock step) count as zero. */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(n);
    }

    /**
     * Cumulative counts per bound, the last being +Inf (the total count), as Prometheus wants
     * them. Read bucket by bucket, so a snapshot taken under load may be off by in-flight updates,
     * but it is always monotonic across buckets.
     */
    public long[] cumulativeCounts() {
        long[] c = new long[buckets.length];
        long run = 0;
        for (int i = 0; i < buckets.length; i++) {
            run += buckets[i].sum();
            c[i] = run;
        }
        return c;
    }

    /** Observations recorded. */
    public long count() {
        long n = 0;
        for (LongAdder b : buckets) {
            n += b.sum();
        }
        return n;
    }

    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
