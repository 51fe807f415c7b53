package io.mapperd.dm.io;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: at most one pool thread works
 * through the lane while it has tasks, and it takes the next task without parking. A file's buffered
 * writes go here because the kernel serialises them anyway (each holds the inode's lock for its whole
 * copy); run from many threads at once they only spin on that lock and wake each other.
 */
final class WriteLane implements Executor {
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable drain = this::drain;

    WriteLane(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            pool.execute(drain);
        }
    }

    private void drain() {
        do {
            // a task counted in pending was added before it was counted, so poll() finds it
            Runnable t = tasks.poll();
            try {
                t.run();
            } catch (RuntimeException e) {
                // a task completes its own future with its failure; an escape must not stop the lane
            }
        } while (pending.decrementAndGet() != 0);
    }
}
