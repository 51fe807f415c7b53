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
 * wake-ups. Calls that hang with tasks queued behind them and no submission to see it (a dying disk
 * holding the last bios of a burst) are found by a monitor that looks every {@link #MONITOR_NANOS}
 * while tasks wait for a worker, and parks for good when none do.
 */
final class FileIoPool implements Executor {
    /** A call running longer than this has probably slept in the kernel. */
    static final long BLOCKED_NANOS = 50_000;
    /** How often the monitor looks for calls that blocked while tasks wait behind them. */
    static final long MONITOR_NANOS = 2_000_000;

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
    private final Thread monitor;
    /** Whether the monitor is parked until a task waits again (not just between its looks). */
    private volatile boolean monitorIdle;

    FileIoPool(int threads, String name) {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker();
            searching.incrementAndGet();
            awake.incrementAndGet();
        }
        for (int i = 0; i < threads; i++) {
            IoThread t = new IoThread(workers[i], name + i);
            workers[i].thread = t;
            t.start();
        }
        monitor = Thread.ofPlatform().daemon().name(name + "monitor").start(this::monitor);
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (searching.get() == 0) {
            wakeOrWatch();
        }
    }

    /** A task waits and no worker looks for it: wakes one if it deserves one, else has the monitor watch. */
    private void wakeOrWatch() {
        if (needAnother()) {
            signal();
        } else {
            watch();
        }
    }

    /** A task waits for a running call to return: has the monitor watch that it does. */
    private void watch() {
        if (monitorIdle) {
            monitorIdle = false;
            LockSupport.unpark(monitor);
        }
    }

    /**
     * While tasks wait and no worker looks for them, wakes one as soon as a running call has been
     * seen to block; parks for good once nothing waits (execute() wakes it again).
     */
    private void monitor() {
        while (true) {
            if (queue.isEmpty()) {
                monitorIdle = true;
                // a task offered after the flag went up unparks us; one offered before it is seen here
                if (queue.isEmpty()) {
                    LockSupport.park(this);
                }
                monitorIdle = false;
                continue;
            }
            LockSupport.parkNanos(this, MONITOR_NANOS);
            if (!queue.isEmpty() && searching.get() == 0 && needAnother()) {
                signal();
            }
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

    /** Whether the last call to finish was slow (for tests). */
    boolean sawBlocking() {
        return blocking;
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

    /** A worker's thread: knows its worker, and when its last file call returned while that call's completions run. */
    static final class IoThread extends Thread {
        private final Worker worker;
        /** System.nanoTime() when the current call returned, until the task it belongs to is done; else 0. */
        long callEnd;

        IoThread(Worker worker, String name) {
            super(worker, name);
            this.worker = worker;
            setDaemon(true);
        }
    }

    /**
     * A blocking call just returned on the calling thread: when it is one of ours, reads the clock
     * once for both the pool (was the call slow? the next call starts now) and the completions that
     * follow ({@link CompletionClock}). A lane runs many calls in one task; each is timed on its own.
     */
    static void callEnded() {
        if (Thread.currentThread() instanceof IoThread t) {
            long now = System.nanoTime() | 1;
            t.callEnd = now;
            t.worker.timed(now);
        }
    }

    private final class Worker implements Runnable {
        IoThread thread;
        volatile boolean woken;
        /** System.nanoTime() when the running call started; 0 when none runs. */
        volatile long started;

        /** The running call returned at {@code now}: notes whether it was slow; the next call, if any, starts now. */
        void timed(long now) {
            boolean slow = now - started > BLOCKED_NANOS;
            if (slow != blocking) {
                blocking = slow;
            }
            started = now;
            // calls block: tasks queued behind this one while no one searched get another worker
            if (slow && searching.get() == 0 && !queue.isEmpty()) {
                signal();
            }
        }

        @Override
        public void run() {
            boolean isSearching = true;
            while (true) {
                Runnable t = queue.poll();
                if (t != null) {
                    if (isSearching) {
                        isSearching = false;
                        // the last searcher leaves: hand the search on if more waits and it is worth a worker
                        if (searching.decrementAndGet() == 0 && !queue.isEmpty()) {
                            wakeOrWatch();
                        }
                    }
                    started = System.nanoTime() | 1;
                    try {
                        t.run();
                    } catch (RuntimeException | Error e) {
                        // tasks complete their own futures; an escape must not kill the worker
                    }
                    if (thread.callEnd == 0) {
                        timed(System.nanoTime()); // a task that did not time its calls: timed as one
                    }
                    thread.callEnd = 0;
                    started = 0;
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
