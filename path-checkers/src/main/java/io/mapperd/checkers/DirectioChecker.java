package io.mapperd.checkers;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * directio: one read of the first block through the path's block device, as
 * libmultipath/checkers/directio.c reads it with O_DIRECT aio: complete is up, an error is down,
 * no completion within checker_timeout is down ("abort check on timeout"). The block is 4 KiB
 * (the soft block size BLKBSZGET reports, capped at 4 KiB), or the device's logical block if larger
 * than the device allows. The buffer is the instance's own, reused between checks.
 */
public final class DirectioChecker extends AsyncChecker {
    public static final String NAME = "directio";
    private static final int BLOCK = 4096;

    private ByteBuffer buffer;

    public DirectioChecker(Duration timeout) {
        super(NAME, timeout);
    }

    @Override
    protected CompletableFuture<CheckResult> probe(CheckedPath path) {
        BlockDevice dev = path.device();
        int size = blockSize(dev);
        if (size <= 0) {
            return CompletableFuture.completedFuture(CheckResult.of(NAME, PathState.UNCHECKED, " is not available"));
        }
        if (buffer == null || buffer.capacity() != size) {
            buffer = ByteBuffer.allocateDirect(size);
        }
        return dev.submit(Bio.read(0, buffer.clear())).thenApply(v -> CheckResult.up(NAME));
    }

    static int blockSize(BlockDevice dev) {
        long bytes = dev.sizeSectors() << Bio.SECTOR_SHIFT;
        int size = Math.max(BLOCK, dev.logicalBlockSize());
        if (bytes < size) {
            size = dev.logicalBlockSize();
        }
        return bytes < size ? 0 : size;
    }

    @Override
    protected CheckResult timedOut() {
        return CheckResult.down(NAME);
    }

    @Override
    protected CheckResult pending() {
        return CheckResult.of(NAME, PathState.PENDING, " is waiting on aio");
    }
}
