package io.mapperd.multipathd.engine.prio;

import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;

import java.util.concurrent.CompletableFuture;

/**
 * A prioritizer, as multipath-tools' prio plug-ins: the priority of one path (higher is better),
 * from the path's transport. Fails when the path cannot be asked; the engine then keeps the last
 * known priority so a failing query does not regroup the map.
 */
public interface Prioritizer {
    String name();

    CompletableFuture<Integer> priority(PathInfo info, PathIo io, String args);
}
