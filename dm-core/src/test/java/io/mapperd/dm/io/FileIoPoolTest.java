package io.mapperd.dm.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileIoPoolTest {
    /** Short tasks from many submitters at once, in bursts with pauses (workers park and are woken again): none is lost. */
    @Test
    void everyTaskRunsOnce() throws Exception {
        FileIoPool pool = new FileIoPool(8, "pool-test-");
        LongAdder ran = new LongAdder();
        int submitters = 4;
        int perSubmitter = 50_000;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    pool.execute(ran::increment);
                    if (i % 5000 == 0) {
                        LockSupport.parkNanos(200_000); // let the workers park
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ran.sum() < (long) submitters * perSubmitter && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals((long) submitters * perSubmitter, ran.sum());
    }

    /** Calls that sleep (a disk) are spread over many workers, not queued behind one per CPU. */
    @Test
    void blockingCallsFanOutOverTheWorkers() throws Exception {
        FileIoPool pool = new FileIoPool(16, "pool-test-");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int tasks = 400;
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            pool.execute(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "tasks left: " + done.getCount());
        assertTrue(most.get() >= 12, "at most " + most.get() + " of 16 workers slept at once");
    }

    /**
     * Calls that hang at once, a worker's worth per CPU, with quick tasks queued behind them in the
     * same burst and nothing submitted after: the quick ones still run (the monitor sees the hang).
     */
    @Test
    void tasksQueuedBehindHungCallsRunWithoutAnotherSubmission() throws Exception {
        FileIoPool pool = new FileIoPool(16, "pool-test-");
        int hung = Runtime.getRuntime().availableProcessors();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch quick = new CountDownLatch(8);
        try {
            for (int i = 0; i < hung; i++) {
                pool.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            for (int i = 0; i < 8; i++) {
                pool.execute(quick::countDown);
            }
            assertTrue(quick.await(5, TimeUnit.SECONDS), quick.getCount() + " of 8 quick tasks still queued behind " + hung + " hung calls");
        } finally {
            release.countDown();
        }
    }

    /** A task that throws does not take its worker away. */
    @Test
    void aThrowingTaskLeavesThePoolWorking() throws Exception {
        FileIoPool pool = new FileIoPool(1, "pool-test-");
        pool.execute(() -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<Void> after = new CompletableFuture<>();
        pool.execute(() -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
    }

    /**
     * A task that runs many quick calls (a write lane in a burst) times each call: a long burst is not
     * taken for a blocked call, a call that is slow is, and completions on the pool thread read the
     * time the call returned.
     */
    @Test
    void callsWithinOneTaskAreTimedOneByOne() throws Exception {
        FileIoPool pool = new FileIoPool(1, "pool-test-");
        CompletableFuture<long[]> burst = new CompletableFuture<>();
        CompletionClock.now(); // loaded here, not in the first call's window
        pool.execute(() -> {
            long first = System.nanoTime();
            long[] clock = new long[3];
            for (int calls = 0; calls < 100 || System.nanoTime() - first < 5 * FileIoPool.BLOCKED_NANOS; calls++) {
                spin(2_000); // one quick call
                FileIoPool.callEnded();
                clock[0] = CompletionClock.now();
                clock[1] = CompletionClock.now();
            }
            // two last calls of no length, so that a preempted spin above cannot leave the last call slow
            FileIoPool.callEnded();
            FileIoPool.callEnded();
            clock[2] = System.nanoTime();
            burst.complete(clock);
        });
        long[] clock = burst.get(10, TimeUnit.SECONDS);
        assertEquals(clock[0], clock[1], "completions of one call share the reading taken when it returned");
        assertTrue(clock[0] <= clock[2]);
        Thread.sleep(50); // the worker leaves the task
        assertTrue(!pool.sawBlocking(), "a burst of quick calls in one task is not a blocked call");

        CompletableFuture<Void> slow = new CompletableFuture<>();
        pool.execute(() -> {
            spin(2 * FileIoPool.BLOCKED_NANOS);
            FileIoPool.callEnded();
            slow.complete(null);
        });
        slow.get(10, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertTrue(pool.sawBlocking(), "a call slower than BLOCKED_NANOS is");
        long before = System.nanoTime();
        assertTrue(CompletionClock.now() >= before, "off the pool, the clock is read");
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
