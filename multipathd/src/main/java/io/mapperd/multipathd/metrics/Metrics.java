package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.stats.ExportStats;
import io.mapperd.multipathd.view.TopologySource;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's metrics: a Micrometer registry rendered by the Prometheus simpleclient, holding
 * the device-mapper's maps and paths (read from dm-core's counters at scrape time), the policy
 * engine's topology, the checker loop, reloads, the NBD export, and the JVM and process binders;
 * served read-only at /metrics. {@link #refresh} follows devices, tables and paths; it runs on
 * device events and every {@link #REFRESH_MILLIS} ms.
 */
public final class Metrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    static final long REFRESH_MILLIS = 1000;

    private final PrometheusMeterRegistry registry;
    private final DeviceMapper dm;
    private final ScheduledExecutorService executor;
    private final PathNamer namer = new PathNamer();
    private final DeviceMapperMetrics devices;
    private final TopologyMetrics topology;
    private final PolicyMetrics policy;
    private volatile ExportStats exports = new ExportStats();
    private final JvmGcMetrics gc;
    private MetricsServer server;
    private boolean closed;

    public Metrics(DeviceMapper dm, String version) {
        this.dm = dm;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new CollectorRegistry(true), Clock.SYSTEM);
        // Prometheus' lint (promtool check metrics) refuses two of the binders' names: CPU time in
        // nanoseconds is replaced by process_cpu_seconds_total, system_cpu_count becomes system_cpus
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("metrics").factory());
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the daemon's process").register(registry);
        }
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("mapperd.build.info", () -> 1).description("Version of the running mapperd")
                .tag("version", version).register(registry);
        ExportMetrics.register(registry, () -> this.exports);
        policy = new PolicyMetrics(registry);
        topology = new TopologyMetrics(registry, namer);
        devices = new DeviceMapperMetrics(registry, dm, namer, executor);
        registry.getPrometheusRegistry().register(new LatencyCollector(devices::devices));
        dm.addListener(devices);
        refresh();
    }

    /**
     * Serves /metrics and starts the periodic refresh.
     *
     * @throws UncheckedIOException when an address given explicitly cannot be bound
     */
    public synchronized Metrics start(MetricsOptions options) {
        executor.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        if (!options.enabled()) {
            LOG.info("metrics: not served (--no-metrics)");
            return this;
        }
        try {
            server = MetricsServer.start(options.address(), registry.getPrometheusRegistry());
            InetSocketAddress a = server.address();
            LOG.info("metrics: http://{}:{}/metrics", a.getHostString(), a.getPort());
        } catch (IOException e) {
            String msg = "metrics: cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage();
            if (options.explicit()) {
                throw new UncheckedIOException(msg, e);
            }
            LOG.warn("{}; running without /metrics (choose another with --metrics-address HOST:PORT)", msg);
        }
        return this;
    }

    /** The policy engine's source of path and map state; until set, no topology series are shown. */
    public void topology(TopologySource source) {
        topology.source(source);
        executor.execute(this::refreshQuietly);
    }

    /** Where the engine and the daemon report checks, the checker loop and reloads. */
    public PolicyMetrics policy() {
        return policy;
    }

    /** The counters the NBD export feeds (clients, connections, requests); zeros until set. */
    public void exports(ExportStats stats) {
        exports = stats;
    }

    /** Brings the meters in step with the devices, tables and topology now. */
    public void refresh() {
        topology.refresh();
        devices.refresh();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("metrics refresh failed: {}", e.toString());
        }
    }

    /** The exposition, as GET /metrics returns it. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The bound address of /metrics, if served. */
    public synchronized Optional<InetSocketAddress> address() {
        return server == null ? Optional.empty() : Optional.of(server.address());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dm.removeListener(devices);
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        devices.close();
        gc.close();
        registry.close();
    }
}
