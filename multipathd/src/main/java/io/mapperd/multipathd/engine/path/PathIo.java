package io.mapperd.multipathd.engine.path;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.transport.iscsi.IscsiLun;

import java.util.Optional;

/**
 * How the engine reaches one path: the block device the table maps to, and the transport's probes
 * that checkers and prioritizers use. Closing it lets go of the transport (logout when last).
 */
public interface PathIo extends AutoCloseable {
    /** The device the multipath table uses, or empty when this path cannot be opened here. */
    Optional<BlockDevice> device();

    /** SCSI commands on this path, when we drive the transport (iSCSI). */
    default Optional<IscsiLun> scsi() {
        return Optional.empty();
    }

    /** The path's sysfs directory (the SCSI device's, or the NVMe namespace's), when the path is local. */
    default Optional<java.nio.file.Path> sysfsDir() {
        return Optional.empty();
    }

    /**
     * Whether the transport itself holds the path for live (an NVMe controller live with its
     * keep-alive answered). A checker's "up" does not reinstate a path that is not.
     */
    default boolean healthy() {
        return true;
    }

    /**
     * The device's state as the kernel reports it, read before any checker runs (multipathd's
     * path_offline): UP lets the checker run, PENDING (a blocked device) waits for the next check,
     * DOWN fails the path without a check. Transports we drive ourselves leave it to the checker.
     */
    default io.mapperd.checkers.PathState deviceState() {
        return io.mapperd.checkers.PathState.UP;
    }

    /** "running", "offline", "blocked", as the kernel's scsi device state. */
    String transportState();

    @Override
    void close();
}
