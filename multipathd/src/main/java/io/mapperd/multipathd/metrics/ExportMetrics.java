package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.stats.ExportStats;
import io.mapperd.dm.io.BioOp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/** The NBD export's counters, read from the {@link ExportStats} the server feeds. */
final class ExportMetrics {
    private ExportMetrics() {
    }

    static void register(MeterRegistry r, Supplier<ExportStats> s) {
        Gauge.builder("mapperd.nbd.clients", s, x -> x.get().clients())
                .description("NBD clients connected now (in transmission)").strongReference(true).register(r);
        FunctionCounter.builder("mapperd.nbd.connections", s, x -> x.get().connections())
                .description("NBD clients that entered transmission").register(r);
        for (BioOp op : Directions.OPS) {
            FunctionCounter.builder("mapperd.nbd.requests", s, x -> x.get().requests(op))
                    .description("NBD requests received, by direction").tag("direction", Directions.label(op)).register(r);
        }
        FunctionCounter.builder("mapperd.nbd.requests.refused", s, x -> x.get().refusedRequests())
                .description("NBD requests refused before reaching the device (bad range, read-only, unknown command)").register(r);
    }
}
