package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only path: a real device underneath, with switches to fail bios with a given status, to
 * hold them until released (a hung path), and counters of what it was sent.
 */
final class FaultyDevice implements BlockDevice {
    private final String name;
    private final DevT devT;
    private final BlockDevice under;
    private volatile BlkStatus failWith;
    private volatile boolean hold;
    private volatile long delayMillis;
    private final List<Runnable> held = new ArrayList<>();
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong inflight = new AtomicLong();
    /** The flags of the last bio it was sent. */
    volatile int lastFlags;

    FaultyDevice(String name, DevT devT, BlockDevice under) {
        this.name = name;
        this.devT = devT;
        this.under = under;
    }

    /** Fails every new bio with {@code status}; null: works again. */
    void failWith(BlkStatus status) {
        failWith = status;
    }

    /** Completes every bio {@code millis} later than the device does (a slow path). */
    void delay(long millis) {
        delayMillis = millis;
    }

    /** Holds new bios (a hung path) until {@link #release}. */
    void hold(boolean on) {
        hold = on;
    }

    /** Lets the held bios go on to the device. */
    void release() {
        List<Runnable> go;
        synchronized (held) {
            go = new ArrayList<>(held);
            held.clear();
        }
        go.forEach(Runnable::run);
    }

    int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DevT devT() {
        return devT;
    }

    @Override
    public long sizeSectors() {
        return under.sizeSectors();
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        submitted.incrementAndGet();
        lastFlags = bio.flags();
        BlkStatus f = failWith;
        if (f != null) {
            return CompletableFuture.failedFuture(new BioException(f, name + ": injected " + f));
        }
        inflight.incrementAndGet();
        CompletableFuture<Void> result = new CompletableFuture<>();
        long delay = delayMillis;
        Runnable go = () -> under.submit(bio).whenComplete((v, ex) -> {
            Runnable done = () -> {
                inflight.decrementAndGet();
                if (ex == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(ex);
                }
            };
            if (delay > 0) {
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(done);
            } else {
                done.run();
            }
        });
        if (hold) {
            synchronized (held) {
                if (hold) {
                    held.add(go);
                    return result;
                }
            }
        }
        go.run();
        return result;
    }

    void close() {
        if (under instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return name + "(" + devT + ")";
    }
}
