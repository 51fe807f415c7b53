package io.mapperd.multipathd.engine.check;

import io.mapperd.multipathd.engine.path.PathIo;

import java.util.concurrent.CompletableFuture;

/**
 * A path checker, as multipath-tools' checker plug-ins: one asynchronous probe of a path. The engine
 * bounds it by checker_timeout; a check never blocks a thread.
 */
public interface PathChecker {
    String name();

    CompletableFuture<CheckResult> check(PathIo path);
}
