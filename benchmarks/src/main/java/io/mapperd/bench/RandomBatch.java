package io.mapperd.bench;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** One batch of 4 KiB random I/O, a bio per buffer, all submitted and then all waited for. */
final class RandomBatch {
    private RandomBatch() {
    }

    /** Reads (or writes) {@code bufs.length} random 4 KiB blocks of the first {@code bytes} of {@code dev}. */
    static void run(BlockDevice dev, long bytes, ByteBuffer[] bufs, boolean write) {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            long sector = ThreadLocalRandom.current().nextLong(bytes >> 12) << 3;
            fs[i] = dev.submit(write ? Bio.write(sector, bufs[i].clear(), 0) : Bio.read(sector, bufs[i].clear()));
        }
        CompletableFuture.allOf(fs).join();
    }
}
