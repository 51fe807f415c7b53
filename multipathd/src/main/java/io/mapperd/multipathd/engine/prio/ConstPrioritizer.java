package io.mapperd.multipathd.engine.prio;

import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;

import java.util.concurrent.CompletableFuture;

/** const: every path has priority 1. */
final class ConstPrioritizer implements Prioritizer {
    @Override
    public String name() {
        return "const";
    }

    @Override
    public CompletableFuture<Integer> priority(PathInfo info, PathIo io, String args) {
        return CompletableFuture.completedFuture(1);
    }
}
