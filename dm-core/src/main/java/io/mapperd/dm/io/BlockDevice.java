package io.mapperd.dm.io;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Anything bios can be sent to: a file, a raw block device, a mapped device (stacking), a path.
 * Sizes are in 512-byte sectors.
 */
public interface BlockDevice {
    /** How an operator names this device (a path, /dev/mapper/NAME, a URL). */
    String name();

    DevT devT();

    long sizeSectors();

    default int logicalBlockSize() {
        return Bio.SECTOR_SIZE;
    }

    default boolean readOnly() {
        return false;
    }

    /** Submits a bio; the future fails with a {@link BioException} naming the status. Never blocks. */
    CompletableFuture<Void> submit(Bio bio);

    /**
     * Submits a bio and calls {@code done} once when it completes (null, or the failure). Layers
     * that stack devices use it to avoid a future per bio; devices that do not override it go
     * through {@link #submit(Bio)}. Never blocks. Throws only before anything was submitted (then
     * {@code done} is not called).
     */
    default void submit(Bio bio, BioCompletion done) {
        submit(bio).whenComplete((v, ex) -> done.bioDone(ex));
    }

    /**
     * Whether bios with several buffers ({@link Bio#vectored()}) may be submitted here. Devices that
     * say no only ever see single-buffer bios.
     */
    default boolean acceptsSegments() {
        return false;
    }

    default boolean supportsFlush() {
        return true;
    }

    default boolean supportsDiscard() {
        return false;
    }

    default boolean supportsWriteZeroes() {
        return true;
    }

    /**
     * Allocation state of {@code sectors} sectors from {@code sector}: extents covering at least the
     * first sector of the range and at most the range. By default everything is data.
     */
    default CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        return CompletableFuture.completedFuture(List.of(Extent.data(sectors)));
    }
}
