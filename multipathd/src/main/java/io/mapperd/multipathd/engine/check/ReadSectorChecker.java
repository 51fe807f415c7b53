package io.mapperd.multipathd.engine.check;

import io.mapperd.dm.io.Bio;
import io.mapperd.multipathd.engine.PathState;
import io.mapperd.multipathd.engine.path.PathIo;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** readsector0 and directio: one read of the first block straight from the path's device. */
final class ReadSectorChecker implements PathChecker {
    private final String name;

    ReadSectorChecker(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<CheckResult> check(PathIo path) {
        if (path.device().isEmpty()) {
            return CompletableFuture.completedFuture(new CheckResult(PathState.DOWN, name + " checker: device cannot be opened"));
        }
        var dev = path.device().get();
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(4096, dev.logicalBlockSize()));
        return dev.submit(Bio.read(0, buf)).handle((v, e) -> e == null
                ? new CheckResult(PathState.UP, name + " checker reports path is up")
                : new CheckResult(PathState.DOWN, name + " checker reports path is down: " + Checkers.rootMessage(e)));
    }
}
