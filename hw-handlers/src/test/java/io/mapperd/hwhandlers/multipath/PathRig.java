package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.PgPath;

import java.time.Duration;

/**
 * Two real paths to one simulated volume for the multipath scenarios, and the simulator's faults
 * on them: what a table names each path, how a path is reset, hung, taken down and brought back,
 * and how the target moves its optimized access state. Path 0 starts optimized, path 1
 * non-optimized. The rig owns the simulated target and the transport's provider.
 */
interface PathRig extends AutoCloseable {
    /** The transport's provider, to register with the DeviceMapper. */
    DeviceProvider provider();

    /** How a table names path {@code i} (0 or 1); {@code urlOptions} is appended (e.g. {@code ?timeout_ms=1000}). */
    String url(int i, String urlOptions);

    /** Resets path {@code i}'s connections (TCP RST); the transport reconnects by itself. */
    void reset(int i);

    /** Makes path {@code i} read and never answer ({@code on}), or answer again. */
    void hang(int i, boolean on);

    /** The I/O timeout the scenario's table asks for, shorter than the provider's own. */
    Duration tableTimeout();

    /** The timeout the transport under {@code device} uses to find a hang. */
    Duration hangTimeout(BlockDevice device);

    /** Path {@code i} refuses connections and drops the ones it has; returns once the fault is in effect. */
    void down(int i) throws Exception;

    /** Ends every fault on path {@code i}. */
    void up(int i) throws Exception;

    /** Waits until the transport under path {@code p} (path {@code i}) works again. */
    void awaitBack(int i, PgPath p) throws InterruptedException;

    /** The hardware handler a table names so that the host follows the target's access states ("0": none needed). */
    String accessHandler();

    /** Checks that the host sees the starting access states (0 optimized, 1 non-optimized). */
    void assertStartingAccess(PgPath a, PgPath b);

    /** The target makes path 1 optimized and path 0 unusable (standby or inaccessible). */
    void moveOptimizedToPath1();

    /** Checks what the move left behind, after the host followed it. */
    void assertMoved(PgPath a, PgPath b);

    /** Ends every fault (and puts back access states the simulator keeps), before the DeviceMapper closes. */
    void restore() throws Exception;

    @Override
    void close() throws Exception;
}
