package io.mapperd.dm.targets;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.Extent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** error: every I/O fails. Arguments are accepted and ignored, as the kernel does. */
public final class ErrorTarget implements Target {
    public static final TargetType TYPE = new KernelTargetType("error", 1, 5, 0, ErrorTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) {
        return new ErrorTarget();
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR, "error target"));
    }

    @Override
    public void map(Bio bio, BioCompletion done) {
        done.bioDone(new BioException(BlkStatus.IOERR, "error target"));
    }

    @Override
    public String status(StatusType type) {
        return "";
    }

    @Override
    public boolean acceptsSegments() {
        return true;
    }

    @Override
    public boolean passesFlush() {
        return false;
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        // Nothing is stored here; report it as a hole (NBD clients then skip it when copying).
        return CompletableFuture.completedFuture(List.of(new Extent(sectors, true, false)));
    }
}
