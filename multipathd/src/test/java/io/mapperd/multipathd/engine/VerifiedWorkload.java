package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes 4 KiB blocks with a pattern naming the block and the pass, reads each back and compares,
 * on a few threads, until stopped; records every error (an I/O failure or a wrong byte).
 */
public final class VerifiedWorkload implements AutoCloseable {
    private static final int BLOCK = 4096;
    private final MappedDevice dev;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ios = new AtomicLong();
    public final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    public VerifiedWorkload(MappedDevice dev, int threads) {
        this.dev = dev;
        long blocks = dev.sizeSectors() * 512 / BLOCK;
        for (int t = 0; t < threads; t++) {
            int id = t;
            this.threads.add(Thread.ofVirtual().name("workload-" + t).start(() -> run(id, threads, blocks)));
        }
    }

    private void run(int id, int n, long blocks) {
        ByteBuffer w = ByteBuffer.allocateDirect(BLOCK);
        ByteBuffer r = ByteBuffer.allocateDirect(BLOCK);
        long pass = 0;
        while (!stop) {
            for (long b = id; b < blocks && !stop; b += n) {
                w.clear();
                for (int i = 0; i < BLOCK; i += 16) {
                    w.putLong(i, b).putLong(i + 8, pass);
                }
                try {
                    dev.submit(Bio.write(b * 8, w.clear(), 0)).get(120, TimeUnit.SECONDS);
                    r.clear();
                    dev.submit(Bio.read(b * 8, r)).get(120, TimeUnit.SECONDS);
                    ios.addAndGet(2);
                    if (r.getLong(0) != b || r.getLong(8) != pass || r.getLong(BLOCK - 16) != b) {
                        errors.add("block " + b + " pass " + pass + ": read back " + r.getLong(0) + "/" + r.getLong(8));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors.add("block " + b + " pass " + pass + ": " + e);
                }
            }
            pass++;
        }
    }

    public long ios() {
        return ios.get();
    }

    /** Waits until at least {@code more} further I/Os completed. */
    public void awaitProgress(long more, long seconds) throws InterruptedException {
        long target = ios.get() + more;
        SanFixture.await(more + " more I/Os", java.time.Duration.ofSeconds(seconds), () -> ios.get() >= target);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(150_000);
        }
    }
}
