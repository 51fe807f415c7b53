package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Virtual threads that write a 4 KiB pattern, read it back and compare, until stopped; every
 * failure is kept in {@link #errors}. Writer {@code id} writes its {@code n}th block at
 * {@code sectors.of(id, n)} with the pattern seeded {@code id * seedStride + n}.
 */
public final class VerifyingWriters {
    /** Where a writer puts its {@code n}th block. */
    @FunctionalInterface
    public interface Sectors {
        long of(int writer, int n);
    }

    public final AtomicInteger done = new AtomicInteger();
    public final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    public VerifyingWriters(MappedDevice md, int writers, int seedStride, Sectors sectors) {
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (!stop.get()) {
                    long sector = sectors.of(id, n);
                    ByteBuffer data = TestFiles.pattern(4096, id * seedStride + n);
                    try {
                        md.submit(Bio.write(sector, data, 0)).join();
                        ByteBuffer back = ByteBuffer.allocateDirect(4096);
                        md.submit(Bio.read(sector, back)).join();
                        if (!back.rewind().equals(data.rewind())) {
                            errors.add(new AssertionError("data mismatch at sector " + sector));
                        }
                        done.incrementAndGet();
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                    n++;
                }
            }));
        }
    }

    /** Waits (20 s at most) until {@code ops} more blocks are verified, or a writer has failed. */
    public void awaitProgress(int ops) {
        int before = done.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= before + ops || !errors.isEmpty());
    }

    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }
}
