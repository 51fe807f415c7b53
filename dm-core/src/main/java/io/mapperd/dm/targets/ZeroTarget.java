package io.mapperd.dm.targets;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.Extent;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** zero: reads return zeroes, writes are discarded (a /dev/zero block device). Takes no arguments. */
public final class ZeroTarget implements Target {
    public static final TargetType TYPE = new KernelTargetType("zero", 1, 1, 0, ZeroTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (!argv.isEmpty()) {
            throw new TargetException("No arguments required");
        }
        return new ZeroTarget();
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        fill(bio);
        return DONE;
    }

    @Override
    public void map(Bio bio, BioCompletion done) {
        fill(bio);
        done.bioDone(null);
    }

    private static void fill(Bio bio) {
        if (bio.op() == BioOp.READ) {
            for (ByteBuffer buf : bio.buffers()) {
                ByteBuffer b = buf.duplicate();
                while (b.remaining() >= 8) {
                    b.putLong(0L);
                }
                while (b.hasRemaining()) {
                    b.put((byte) 0);
                }
            }
        }
    }

    @Override
    public boolean acceptsSegments() {
        return true;
    }

    @Override
    public String status(StatusType type) {
        return "";
    }

    @Override
    public boolean passesFlush() {
        return false;
    }

    @Override
    public boolean supportsDiscard() {
        return true;
    }

    @Override
    public boolean supportsWriteZeroes() {
        return true;
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        return CompletableFuture.completedFuture(List.of(Extent.holeOfZeroes(sectors)));
    }
}
