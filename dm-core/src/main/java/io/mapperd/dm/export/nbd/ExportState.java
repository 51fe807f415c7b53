package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.netty.channel.Channel;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the server keeps per exported device: its connected clients, and the queue that orders
 * read-modify-write cycles (requests not aligned to sectors), so two of them sharing a sector
 * cannot lose each other's bytes.
 */
final class ExportState {
    private final MappedDevice device;
    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    private CompletableFuture<Void> rmwTail = CompletableFuture.completedFuture(null);

    ExportState(MappedDevice device) {
        this.device = device;
    }

    MappedDevice device() {
        return device;
    }

    Set<Channel> clients() {
        return clients;
    }

    /** Runs {@code cycle} after every cycle queued before it has finished. */
    synchronized CompletableFuture<Void> serialize(Supplier<CompletableFuture<Void>> cycle) {
        CompletableFuture<Void> next = rmwTail.handle((v, ex) -> null).thenCompose(v -> cycle.get());
        rmwTail = next;
        return next;
    }
}
