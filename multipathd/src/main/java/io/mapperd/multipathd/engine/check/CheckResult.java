package io.mapperd.multipathd.engine.check;

import io.mapperd.multipathd.engine.PathState;

/** What one check of a path found: the state and the checker's message. */
public record CheckResult(PathState state, String message) {
}
