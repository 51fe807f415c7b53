package io.mapperd.checkers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A path checker, as a multipath-tools checker plug-in: one instance per path (it keeps the
 * in-flight check, as libcheck_init's context does), chosen by name from the configuration through
 * {@link CheckerRegistry}.
 * <p>
 * {@link #check} never blocks and never leaves its future open past the checker's timeout
 * (checker_timeout): a path that does not answer gives TIMEOUT (tur) or DOWN (directio,
 * readsector0), as multipath-tools does. Asked again while an earlier check is still in flight, a
 * checker answers PENDING at once instead of stacking another command on a hung path.
 */
public interface Checker extends AutoCloseable {
    /** The name configurations use (path_checker tur). */
    String name();

    /** checker_timeout for this instance. */
    Duration timeout();

    /** Checks the path once; the future always completes, within {@link #timeout()}. */
    CompletableFuture<CheckResult> check(CheckedPath path);

    /** The path is going away. */
    @Override
    default void close() {
    }
}
