package io.mapperd.dm.core.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerThreadCountersTest {
    /** Platform threads that come and go: every count is kept, and ended threads' cells are folded in. */
    @Test
    void threadsThatEndKeepTheirCountsAndTheirCellsAreFolded() throws Exception {
        PerThreadCounters c = new PerThreadCounters(3);
        for (int round = 0; round < 50; round++) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ts.add(Thread.ofPlatform().start(() -> {
                    long[] cell = c.cell();
                    for (int i = 0; i < 1000; i++) {
                        c.add(cell, 0, 1);
                        c.add(cell, 2, 5);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        assertArrayEquals(new long[] {200_000, 0, 1_000_000}, c.sums(0, 3));
        assertTrue(c.cells() <= 4, "cells of ended threads are folded when a new one is made: " + c.cells());
    }

    /** Virtual threads share one cell, updated atomically: none of their adds is lost. */
    @Test
    void virtualThreadsShareAnAtomicCell() throws Exception {
        PerThreadCounters c = new PerThreadCounters(2);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        c.add(c.cell(), 1, 1);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertArrayEquals(new long[] {0, 200_000}, c.sums(0, 2));
        assertTrue(c.cells() == 0, "no per-thread cell for a virtual thread");
    }

    /** Read while threads add: the sums only grow, as a Prometheus counter must. */
    @Test
    void sumsReadUnderLoadNeverGoBack() throws Exception {
        PerThreadCounters c = new PerThreadCounters(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                long[] cell = c.cell();
                while (!stop.get()) {
                    c.add(cell, 0, 1);
                }
            }));
        }
        long last = 0;
        for (int i = 0; i < 20_000; i++) {
            long now = c.sums(0, 1)[0];
            assertTrue(now >= last, now + " after " + last);
            last = now;
        }
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(last > 0);
    }
}
