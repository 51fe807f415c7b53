package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A verified workload on a few virtual threads: each writes 4 KiB blocks (its own, interleaved
 * with the others') with a pattern naming the block and the pass, reads each back through the same
 * device and compares every byte. Every I/O error and every wrong byte is recorded.
 */
final class VerifiedIo implements AutoCloseable {
    static final int BLOCK = 4096;

    private final BlockDevice dev;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ios = new AtomicLong();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    VerifiedIo(BlockDevice dev, int threadCount, long blocks) {
        this.dev = dev;
        for (int t = 0; t < threadCount; t++) {
            int id = t;
            threads.add(Thread.ofVirtual().name("verified-io-" + t).start(() -> run(id, threadCount, blocks)));
        }
    }

    /** The pattern of {@code block} in {@code pass}: every 8 bytes hold block, pass and offset mixed. */
    static void fill(ByteBuffer b, long block, long pass) {
        for (int i = 0; i < BLOCK; i += 8) {
            b.putLong(i, (block << 32) ^ (pass << 16) ^ i);
        }
    }

    /** The first offset where {@code b} differs from the pattern, or -1. */
    static int mismatch(ByteBuffer b, long block, long pass) {
        for (int i = 0; i < BLOCK; i += 8) {
            if (b.getLong(i) != ((block << 32) ^ (pass << 16) ^ i)) {
                return i;
            }
        }
        return -1;
    }

    private void run(int id, int n, long blocks) {
        ByteBuffer w = ByteBuffer.allocateDirect(BLOCK);
        ByteBuffer r = ByteBuffer.allocateDirect(BLOCK);
        for (long pass = 1; !stop; pass++) {
            for (long b = id; b < blocks && !stop; b += n) {
                fill(w, b, pass);
                try {
                    dev.submit(Bio.write(b * (BLOCK / 512), w.clear(), 0)).get(120, TimeUnit.SECONDS);
                    dev.submit(Bio.read(b * (BLOCK / 512), r.clear())).get(120, TimeUnit.SECONDS);
                    ios.addAndGet(2);
                    int at = mismatch(r, b, pass);
                    if (at >= 0) {
                        errors.add("block " + b + " pass " + pass + ": wrong data read back at byte " + at);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors.add("block " + b + " pass " + pass + ": " + e);
                }
            }
        }
    }

    long ios() {
        return ios.get();
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Waits until {@code more} further I/Os completed; fails naming {@code what} after {@code within}. */
    void awaitProgress(long more, Duration within, String what) throws InterruptedException {
        long target = ios.get() + more;
        long end = System.nanoTime() + within.toNanos();
        while (ios.get() < target) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no progress " + what + ": " + (ios.get() - target + more) + " of " + more
                        + " I/Os in " + within.toMillis() + " ms; errors " + errors());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(150_000);
        }
    }
}
