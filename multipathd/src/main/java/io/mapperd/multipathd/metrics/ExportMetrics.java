package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.stats.ExportStats;
import io.mapperd.dm.io.BioOp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The NBD export's counters, read from the {@link ExportStats} the server feeds. */
final class ExportMetrics {
    private ExportMetrics() {
    }

    static void register(MeterRegistry r, ExportStats s) {
        Gauge.builder("mapperd.nbd.clients", s, ExportStats::clients)
                .description("NBD clients connected now (in transmission)").strongReference(true).register(r);
        FunctionCounter.builder("mapperd.nbd.connections", s, ExportStats::connections)
                .description("NBD clients that completed the handshake").register(r);
        for (BioOp op : Directions.OPS) {
            FunctionCounter.builder("mapperd.nbd.requests", s, x -> x.requests(op))
                    .description("NBD requests received, by direction").tag("direction", Directions.label(op)).register(r);
        }
        FunctionCounter.builder("mapperd.nbd.requests.refused", s, ExportStats::refusedRequests)
                .description("NBD requests refused before reaching the device").register(r);
    }
}
