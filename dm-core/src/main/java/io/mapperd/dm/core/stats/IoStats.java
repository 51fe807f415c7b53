package io.mapperd.dm.core.stats;

import io.mapperd.dm.io.BioOp;

import java.util.concurrent.atomic.LongAdder;

/**
 * I/O accounting of one device (a mapped device, or one path of a multipath map), as the kernel's
 * per-disk statistics: completed operations, bytes, errors and a latency histogram per operation.
 * {@link #record} is called once per completed bio and allocates nothing.
 */
public final class IoStats {
    private static final BioOp[] OPS = BioOp.values();

    private final LongAdder[] bytes = adders();
    private final LongAdder[] errors = adders();
    private final LatencyHistogram[] latency = new LatencyHistogram[OPS.length];

    public IoStats() {
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new LatencyHistogram();
        }
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[OPS.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One completed bio: its operation, size, time from submission to completion, and outcome. */
    public void record(BioOp op, long byteCount, long nanos, boolean failed) {
        int i = op.ordinal();
        if (failed) {
            errors[i].increment();
        } else {
            bytes[i].add(byteCount);
        }
        latency[i].record(nanos);
    }

    /** Completed bios: the histogram's count (one adder less per bio than a separate counter). */
    public long ops(BioOp op) {
        return latency[op.ordinal()].count();
    }

    /** Bytes moved by bios that completed without error. */
    public long bytes(BioOp op) {
        return bytes[op.ordinal()].sum();
    }

    public long errors(BioOp op) {
        return errors[op.ordinal()].sum();
    }

    public LatencyHistogram latency(BioOp op) {
        return latency[op.ordinal()];
    }
}
