package io.mapperd.dm.io;

import java.util.concurrent.ThreadFactory;

/**
 * Threads that may run a memory-backed file's writes themselves (see {@link FileBlockDevice}):
 * threads that accept a bio completing before its submit returns and that gain from not handing the
 * write to another thread. The NBD server's event loops are such threads: a write to tmpfs is a
 * memory copy under the inode's lock, and done on the loop that received the payload it skips a
 * wake-up and reads the payload while it is still in this core's cache.
 */
public final class InlineIo {
    private static final ThreadLocal<Boolean> PERMITTED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private InlineIo() {
    }

    /** Threads from {@code factory}, each permitted to run memory-backed writes inline. */
    public static ThreadFactory permitting(ThreadFactory factory) {
        return task -> factory.newThread(() -> {
            PERMITTED.set(Boolean.TRUE);
            task.run();
        });
    }

    /** Whether the calling thread came from {@link #permitting}. */
    static boolean permitted() {
        return PERMITTED.get();
    }
}
