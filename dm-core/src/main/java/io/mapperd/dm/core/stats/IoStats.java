package io.mapperd.dm.core.stats;

import io.mapperd.dm.io.BioOp;

/**
 * I/O accounting of one device (a mapped device, or one path of a multipath map), as the kernel's
 * per-disk statistics: completed operations, bytes, errors and a latency histogram per operation.
 * {@link #record} is called once per completed bio; it allocates nothing and, on a platform thread,
 * makes no atomic update (see {@link PerThreadCounters}).
 */
public final class IoStats {
    private static final BioOp[] OPS = BioOp.values();
    /** Counters per operation: bytes, errors, then its latency histogram. */
    private static final int BYTES = 0;
    private static final int ERRORS = 1;
    private static final int HISTOGRAM = 2;
    private static final int STRIDE = HISTOGRAM + LatencyHistogram.WIDTH;

    private final PerThreadCounters counters = new PerThreadCounters(OPS.length * STRIDE);
    private final LatencyHistogram[] latency = new LatencyHistogram[OPS.length];

    public IoStats() {
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new LatencyHistogram(counters, i * STRIDE + HISTOGRAM);
        }
    }

    /** One completed bio: its operation, size, time from submission to completion, and outcome. */
    public void record(BioOp op, long byteCount, long nanos, boolean failed) {
        int i = op.ordinal();
        long[] cell = counters.cell();
        if (failed) {
            counters.add(cell, i * STRIDE + ERRORS, 1);
        } else {
            counters.add(cell, i * STRIDE + BYTES, byteCount);
        }
        latency[i].record(cell, nanos);
    }

    /** Completed bios: the histogram's count (one counter less per bio than a separate one). */
    public long ops(BioOp op) {
        return latency[op.ordinal()].count();
    }

    /** Bytes moved by bios that completed without error. */
    public long bytes(BioOp op) {
        return counters.sums(op.ordinal() * STRIDE + BYTES, 1)[0];
    }

    public long errors(BioOp op) {
        return counters.sums(op.ordinal() * STRIDE + ERRORS, 1)[0];
    }

    public LatencyHistogram latency(BioOp op) {
        return latency[op.ordinal()];
    }
}
