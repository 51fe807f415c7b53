package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.Extent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One constructed target instance covering a range of a table, as the kernel's struct dm_target.
 * Bios arrive with sectors relative to the target's first sector and never cross its end.
 */
public interface Target {
    /** Maps (remaps, splits, queues or completes) one bio. Never blocks. */
    CompletableFuture<Void> map(Bio bio);

    /**
     * Maps one bio and calls {@code done} once when it is complete (null, or the failure), the
     * completion-callback form of {@link #map(Bio)} (no future per bio). Targets that remap to
     * one device override it; the rest go through {@link #map(Bio)}. Never blocks; throws only
     * before {@code done} was called or handed on (the caller then fails the bio).
     */
    default void map(Bio bio, BioCompletion done) {
        map(bio).whenComplete((v, ex) -> done.bioDone(ex));
    }

    /** The parameters after `start length name` in `dmsetup status` (INFO) or `dmsetup table` (TABLE). */
    String status(StatusType type);

    /**
     * A runtime message (`dmsetup message`). Returns the text the kernel would hand back (often
     * empty). Throws with the kernel's words for an unknown or bad message.
     */
    default String message(List<String> argv) throws TargetException {
        throw new TargetException("Unrecognised message received.");
    }

    /** Called before suspend; with noflush, bios the target holds should complete with DM_REQUEUE. */
    default void presuspend(boolean noflush) {
    }

    default void postsuspend() {
    }

    /** Called when the table becomes live (after resume). */
    default void resume() {
    }

    /** The kernel's dtr: release what the constructor took (devices are released by the table). */
    default void close() {
    }

    /** Number of flush bios this target wants for an empty flush (0: flushes complete at once). */
    default boolean passesFlush() {
        return true;
    }

    /** Whether vectored bios ({@link Bio#vectored()}) may be mapped here (else the device bounces them). */
    default boolean acceptsSegments() {
        return false;
    }

    default boolean supportsDiscard() {
        return false;
    }

    default boolean supportsWriteZeroes() {
        return false;
    }

    /** Allocation state from {@code sector} (target-relative); extents must cover at least one sector. */
    default CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        return CompletableFuture.completedFuture(List.of(Extent.data(sectors)));
    }
}
