package io.mapperd.dm.io;

/**
 * The time a bio completes, for accounting, read once per file call however many layers complete
 * on it, as the kernel's batched completions share one clock read. An I/O pool thread reads the
 * clock when its call returns ({@link FileIoPool#callEnded}), for the pool's own blocked-call
 * detection; the completions run right after, on that thread, take that reading. Anywhere else
 * (an event loop, a caller running a write inline, a virtual thread) this reads the clock.
 */
public final class CompletionClock {
    private CompletionClock() {
    }

    /** System.nanoTime() now, or as read when the calling I/O thread's call returned a moment ago. */
    public static long now() {
        return Thread.currentThread() instanceof FileIoPool.IoThread t && t.callEnd != 0 ? t.callEnd : System.nanoTime();
    }
}
