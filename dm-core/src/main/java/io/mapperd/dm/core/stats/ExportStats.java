package io.mapperd.dm.core.stats;

import io.mapperd.dm.io.BioOp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an export (the NBD server) tells the daemon's metrics: clients connected now, connections
 * accepted, and requests received by operation. The server calls the mutators; nothing here
 * allocates.
 */
public final class ExportStats {
    private final AtomicInteger clients = new AtomicInteger();
    private final LongAdder connections = new LongAdder();
    private final LongAdder[] requests = new LongAdder[BioOp.values().length];
    private final LongAdder refused = new LongAdder();

    public ExportStats() {
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new LongAdder();
        }
    }

    /** A client finished the handshake and entered transmission. */
    public void clientConnected() {
        connections.increment();
        clients.incrementAndGet();
    }

    public void clientDisconnected() {
        clients.decrementAndGet();
    }

    /** A request that maps to a bio. */
    public void request(BioOp op) {
        requests[op.ordinal()].increment();
    }

    /** A request refused before reaching the device (bad range, read-only, unknown command). */
    public void refused() {
        refused.increment();
    }

    public int clients() {
        return clients.get();
    }

    public long connections() {
        return connections.sum();
    }

    public long requests(BioOp op) {
        return requests[op.ordinal()].sum();
    }

    public long refusedRequests() {
        return refused.sum();
    }
}
