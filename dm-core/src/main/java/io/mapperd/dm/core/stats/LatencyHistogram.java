package io.mapperd.dm.core.stats;

/**
 * A latency histogram with fixed bucket bounds, updated without allocating, locking or an atomic
 * instruction (per-thread counters, like the kernel's per-cpu ones), read at scrape time. The bounds
 * are the same for every histogram so dashboards can aggregate across devices.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets in nanoseconds (inclusive), 50 µs to 10 s; above that is +Inf. */
    private static final long[] BOUNDS_NANOS = {
            50_000L, 100_000L, 250_000L, 500_000L,
            1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L,
            1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};
    /** Counters of one histogram: a count per bucket (the last is +Inf), then the sum in nanoseconds. */
    static final int WIDTH = BOUNDS_NANOS.length + 2;
    private static final int SUM = BOUNDS_NANOS.length + 1;

    private final PerThreadCounters counters;
    private final int base;

    public LatencyHistogram() {
        this(new PerThreadCounters(WIDTH), 0);
    }

    /** A histogram in counters {@code base} to {@code base + WIDTH - 1} of {@code counters}. */
    LatencyHistogram(PerThreadCounters counters, int base) {
        this.counters = counters;
        this.base = base;
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
        record(counters.cell(), nanos);
    }

    /** Records one observation in the calling thread's {@code cell} of the counters. */
    void record(long[] cell, long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
            i++;
        }
        counters.add(cell, base + i, 1);
        counters.add(cell, base + SUM, n);
    }

    /**
     * Cumulative counts per bound, the last being +Inf (the total count), as Prometheus wants
     * them. Read in one pass; a snapshot taken under load may miss updates in flight, but it is
     * always monotonic across buckets.
     */
    public long[] cumulativeCounts() {
        long[] c = counters.sums(base, SUM);
        for (int i = 1; i < c.length; i++) {
            c[i] += c[i - 1];
        }
        return c;
    }

    /** Observations recorded. */
    public long count() {
        long n = 0;
        for (long b : counters.sums(base, SUM)) {
            n += b;
        }
        return n;
    }

    public double sumSeconds() {
        return counters.sums(base + SUM, 1)[0] / 1e9;
    }
}
