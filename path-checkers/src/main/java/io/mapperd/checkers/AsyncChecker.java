package io.mapperd.checkers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the asynchronous checkers share (multipath-tools' tur thread and directio aio context): one
 * probe in flight per path, a deadline of checker_timeout, PENDING while a probe runs, and the
 * checker's own verdict when it outlives the deadline. Subclasses write only the probe.
 */
public abstract class AsyncChecker implements Checker {
    private final String name;
    private final Duration timeout;
    private CompletableFuture<CheckResult> inFlight;
    private long deadlineNanos;

    protected AsyncChecker(String name, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("checker_timeout must be positive, got " + timeout);
        }
        this.name = name;
        this.timeout = timeout;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Duration timeout() {
        return timeout;
    }

    @Override
    public final CompletableFuture<CheckResult> check(CheckedPath path) {
        CompletableFuture<CheckResult> probe;
        synchronized (this) {
            if (inFlight != null && !inFlight.isDone()) {
                return CompletableFuture.completedFuture(System.nanoTime() - deadlineNanos > 0 ? timedOut() : pending());
            }
            deadlineNanos = System.nanoTime() + timeout.toNanos();
            try {
                probe = probe(path);
            } catch (RuntimeException e) {
                probe = CompletableFuture.failedFuture(e);
            }
            probe = probe.exceptionally(this::failed);
            inFlight = probe;
        }
        return probe.copy().completeOnTimeout(timedOut(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether a probe is still out (PENDING in multipath-tools' terms). */
    public final synchronized boolean running() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Sends the check's commands; may fail exceptionally (a transport failure), which {@link #failed} judges. */
    protected abstract CompletableFuture<CheckResult> probe(CheckedPath path);

    /** The verdict when the probe outlives checker_timeout. */
    protected abstract CheckResult timedOut();

    /** The answer while an earlier probe is in flight and within its deadline. */
    protected abstract CheckResult pending();

    /** A probe that failed as a whole (the transport gave up): the path is down. */
    protected CheckResult failed(Throwable t) {
        return CheckResult.down(name());
    }
}
