package io.mapperd.bench;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;

import java.util.function.BooleanSupplier;

/**
 * Two paths to one LUN for the multipath benchmark, and the faults it injects on them: what the
 * table names each path, a kill (a reset of the path's connections, or a silent hang), the
 * repair, and whether the transport is back (so the path may be reinstated).
 */
interface PathRig extends AutoCloseable {
    enum Kill { RESET, HANG }

    /** The scheme's provider, to register with the DeviceMapper. */
    DeviceProvider provider();

    /** How a table names path {@code i} (0 or 1). */
    String url(int i);

    long sectors();

    boolean canHang();

    /**
     * Kills path {@code i}, whose device (as the provider opened it) is {@code device}, and returns
     * once the fault is in effect: a hang at once, a reset when the initiator has seen its
     * connection go (so that a write submitted afterwards cannot complete on the old connection).
     */
    void kill(int i, Kill kind, BlockDevice device) throws Exception;

    /** Ends the fault on path {@code i} (a reset needs nothing: the transport reconnects by itself). */
    void heal(int i) throws Exception;

    /** True once the transport under {@code device} (as the provider opened it) works again. */
    boolean ready(BlockDevice device);

    /** The transport's I/O timeout, how long a hang lasts before the path is failed (0: none). */
    long timeoutMillis();

    String describe();

    @Override
    void close() throws Exception;

    /**
     * Returns once {@code seen} (the initiator has seen a reset), or after 5 s. Spins with yield, not
     * park: a late return would count against the stall.
     */
    static void awaitSeen(BooleanSupplier seen) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!seen.getAsBoolean() && System.nanoTime() < end) {
            Thread.yield();
        }
    }
}
