package io.mapperd.multipathd.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the policy engine and the daemon report as they work: each path check with its verdict
 * and duration, each pass of the checker loop, and configuration reloads. These happen a few
 * times a second at most, so Micrometer's timers (with fixed buckets) are used directly.
 */
public final class PolicyMetrics {
    private static final Duration[] CHECK_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Timer loop;
    private final Counter reloadOk;
    private final Counter reloadFailed;

    PolicyMetrics(MeterRegistry registry) {
        this.registry = registry;
        loop = Timer.builder("mapperd.checker.loop.duration")
                .description("Time one pass of the path checker loop took")
                .serviceLevelObjectives(CHECK_BUCKETS)
                .register(registry);
        reloadOk = reloads(registry, "success");
        reloadFailed = reloads(registry, "failure");
    }

    private static Counter reloads(MeterRegistry r, String result) {
        return Counter.builder("mapperd.config.reloads")
                .description("Configuration reloads (reconfigure), by result; a failed one left the running configuration as it was")
                .tag("result", result)
                .register(r);
    }

    /** One path check: the map holding the path ("[orphan]" if none), the path, the verdict, how long it took. */
    public void pathChecked(String map, String path, String result, long nanos) {
        Timer.builder("mapperd.path.checker.duration")
                .description("Time a path check took, by verdict")
                .serviceLevelObjectives(CHECK_BUCKETS)
                .tags("map", map, "path", path, "result", result)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One pass of the checker loop over every path. */
    public void checkerLoop(long nanos) {
        loop.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A reconfigure finished: applied, or refused with the running configuration kept. */
    public void configReloaded(boolean success) {
        (success ? reloadOk : reloadFailed).increment();
    }
}
