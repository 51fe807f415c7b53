package io.mapperd.dm.io;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that make blocking file calls. A plain thread pool wakes a parked thread for every
 * task; for page-cache hits, a few microseconds each, those wake-ups cost more than the calls. Here,
 * as the kernel's workqueues do, at most one worker per CPU runs while calls return quickly; another
 * is woken only when no worker is looking for work and either a CPU is free or calls block (the last
 * one took longer than {@link #BLOCKED_NANOS}, or a running one has: a disk, a cold page). A disk that
 * sleeps thus gets as many calls in parallel as there are workers, and the page cache gets no needless
 * wake-ups. Limit: calls that hang before any call has been seen to block hold back the tasks queued
 * behind them until the next submission (which sees them running long) or until one returns.
 */
final class FileIoPool implements Executor {
    /** A call running longer than this has probably slept in the kernel. */
    static final long BLOCKED_NANOS = 50_000;

    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final Worker[] workers;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    /** Workers awake and not running a task: each looks at the queue before it parks. */
    private final AtomicInteger searching = new AtomicInteger();
    /** Workers not parked. */
    private final AtomicInteger awake = new AtomicInteger();
    /** Whether the last call to finish took longer than BLOCKED_NANOS. */
    private volatile boolean blocking;

    FileIoPool(int threads, String name) {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker();
            searching.incrementAndGet();
            awake.incrementAndGet();
        }
        for (int i = 0; i < threads; i++) {
            workers[i].thread = Thread.ofPlatform().daemon().name(name + i).start(workers[i]);
        }
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (searching.get() == 0 && needAnother()) {
            signal();
        }
    }

    /** Whether a waiting task deserves one more worker: a CPU is free, or a running call has blocked. */
    private boolean needAnother() {
        if (blocking || awake.get() < cpus) {
            return true;
        }
        long now = System.nanoTime();
        for (Worker w : workers) {
            long s = w.started;
            if (s != 0 && now - s > BLOCKED_NANOS) {
                return true;
            }
        }
        return false;
    }

    /** Wakes one parked worker, counted as awake and searching from now on. */
    private void signal() {
        Worker w = idle.pollFirst();
        if (w != null) {
            awake.incrementAndGet();
            searching.incrementAndGet();
            w.woken = true;
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean woken;
        /** System.nanoTime() when the running task started; 0 when none runs. */
        volatile long started;

        @Override
        public void run() {
            boolean isSearching = true;
            while (true) {
                Runnable t = queue.poll();
                if (t != null) {
                    if (isSearching) {
                        isSearching = false;
                        // the last searcher leaves: hand the search on if more waits and it is worth a worker
                        if (searching.decrementAndGet() == 0 && !queue.isEmpty() && needAnother()) {
                            signal();
                        }
                    }
                    long start = System.nanoTime() | 1;
                    started = start;
                    try {
                        t.run();
                    } catch (RuntimeException | Error e) {
                        // tasks complete their own futures; an escape must not kill the worker
                    }
                    started = 0;
                    boolean slow = System.nanoTime() - start > BLOCKED_NANOS;
                    if (slow != blocking) {
                        blocking = slow;
                    }
                    // calls block: tasks queued behind this one while no one searched get another worker
                    if (slow && searching.get() == 0 && !queue.isEmpty()) {
                        signal();
                    }
                    continue;
                }
                if (isSearching) {
                    isSearching = false;
                    searching.decrementAndGet();
                }
                woken = false;
                idle.addFirst(this);
                awake.decrementAndGet();
                // a task offered while we were still counted awake found no reason to wake anyone: look again
                if (!queue.isEmpty() && idle.remove(this)) {
                    awake.incrementAndGet();
                    continue;
                }
                while (!woken) {
                    LockSupport.park(this);
                }
                isSearching = true; // signal() counted us
            }
        }
    }
}
