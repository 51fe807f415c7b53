package io.mapperd.bench;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One batch of sequential I/O, a bio per buffer from where the last batch ended, all submitted and then all waited for. */
final class SequentialBatch {
    private SequentialBatch() {
    }

    /** Reads (or writes) {@code bufs} in turn from sector {@code next[0]}, wrapping at {@code bytes}; advances {@code next[0]}. */
    static void run(BlockDevice dev, long bytes, ByteBuffer[] bufs, long[] next, boolean write) {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            long s = next[0];
            ByteBuffer b = bufs[i].clear();
            next[0] = (s + (b.remaining() >> Bio.SECTOR_SHIFT)) % (bytes >> Bio.SECTOR_SHIFT);
            fs[i] = dev.submit(write ? Bio.write(s, b, 0) : Bio.read(s, b));
        }
        CompletableFuture.allOf(fs).join();
    }
}
