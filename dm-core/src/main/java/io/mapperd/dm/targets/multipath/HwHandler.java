package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.io.BlockDevice;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A hardware handler, as the kernel's scsi_dh: what must be done to a path before I/O may go to
 * its priority group (ALUA STPG, EMC trespass, RDAC mode select, HP start unit). The multipath
 * target creates one instance per map from the {@link HwHandlerRegistry} by the table's
 * hw_handler name, attaches every path at table load and calls {@link #pgInit} for each active
 * path of a group it switches to, holding I/O until all of them have answered.
 */
public interface HwHandler {
    /** The name tables use (alua, emc, rdac, hp_sw). */
    String name();

    /**
     * scsi_dh_attach and scsi_dh_set_params for one path at table load. Throws with the kernel's
     * words ("error attaching hardware handler", "unable to set hardware handler parameters") when
     * the path cannot take this handler or the parameters are bad.
     */
    default void attach(BlockDevice path, List<String> params) throws TargetException {
    }

    /** scsi_dh_activate: makes the path usable; completes with the outcome, never exceptionally on purpose. */
    CompletableFuture<PgInitResult> pgInit(BlockDevice path);

    /** The table holding the path is going away. */
    default void detach(BlockDevice path) {
    }
}
