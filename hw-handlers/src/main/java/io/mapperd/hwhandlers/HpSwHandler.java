package io.mapperd.hwhandlers;

import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * hp_sw, as the kernel's scsi_dh_hp_sw for HP/COMPAQ MSA active/passive arrays. TEST UNIT READY
 * tells the paths apart: GOOD is the active path, NOT READY 04/02 (initialization command
 * required) the passive one; anything else is SCSI_DH_IO (and fails attach). Activating a passive
 * path sends START STOP UNIT with START set; NOT READY 04/03 (switch-over in progress) is retried
 * three times, then SCSI_DH_RETRY; other failures are SCSI_DH_IO.
 */
public final class HpSwHandler extends AttachedPaths<HpSwHandler.PathState> {
    private static final Logger log = LoggerFactory.getLogger(HpSwHandler.class);
    public static final String NAME = "hp_sw";
    static final int RETRIES = 3;
    /** UNIT ATTENTION on TEST UNIT READY is retried without limit in the kernel; bounded here. */
    static final int UA_RETRIES = 16;

    enum PathState { ACTIVE, PASSIVE }

    public HpSwHandler() {
        super(NAME);
    }

    @Override
    public void attach(BlockDevice path, List<String> params) throws TargetException {
        ScsiPath scsi = ScsiPath.of(path).orElseThrow(ScsiDh::attachFailed);
        Tur t = ScsiDh.attachWait(tur(scsi, UA_RETRIES), "error attaching hardware handler");
        if (t.result() != PgInitResult.OK) {
            log.error("{}: {}: Attach failed ({})", scsi.name(), NAME, t.result().code());
            throw ScsiDh.attachFailed();
        }
        log.info("{}: {}: attached to {} path", scsi.name(), NAME, t.state() == PathState.ACTIVE ? "active" : "passive");
        attached.put(path, t.state());
    }

    @Override
    public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
        ScsiPath scsi = ScsiPath.of(path).orElse(null);
        if (scsi == null || !attached.containsKey(path)) {
            return ScsiDh.done(PgInitResult.NOSYS);
        }
        return tur(scsi, UA_RETRIES).thenCompose(t -> {
            if (t.result() != PgInitResult.OK) {
                return ScsiDh.done(t.result());
            }
            attached.put(path, t.state());
            if (t.state() != PathState.PASSIVE) {
                return ScsiDh.done(PgInitResult.OK);
            }
            return startStop(scsi, RETRIES);
        });
    }

    record Tur(PgInitResult result, PathState state) {
    }

    /** hp_sw_tur and tur_done. */
    private static CompletableFuture<Tur> tur(ScsiPath scsi, int uaLeft) {
        return scsi.execute(Cdb.testUnitReady(), null, null).handle((r, e) -> {
            if (e != null) {
                log.warn("{}: {}: sending tur failed with {}", scsi.name(), NAME, e.toString());
                return CompletableFuture.completedFuture(new Tur(PgInitResult.IO, null));
            }
            if (r.status() == ScsiStatus.GOOD) {
                return CompletableFuture.completedFuture(new Tur(PgInitResult.OK, PathState.ACTIVE));
            }
            if (ScsiDh.sense(r, SenseKey.UNIT_ATTENTION, -1, -1) && uaLeft > 0) {
                return tur(scsi, uaLeft - 1);
            }
            if (ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x02)) {
                return CompletableFuture.completedFuture(new Tur(PgInitResult.OK, PathState.PASSIVE));
            }
            log.warn("{}: {}: sending tur failed: {}", scsi.name(), NAME, r.describe());
            return CompletableFuture.completedFuture(new Tur(PgInitResult.IO, null));
        }).thenCompose(f -> f);
    }

    /** START STOP UNIT, START=1, as hp_sw_start_stop sends it. */
    static byte[] startStopCdb() {
        byte[] c = new byte[6];
        c[0] = (byte) Cdb.START_STOP_UNIT;
        c[4] = 1;
        return c;
    }

    private static CompletableFuture<PgInitResult> startStop(ScsiPath scsi, int left) {
        return scsi.execute(startStopCdb(), null, null).handle((r, e) -> {
            if (e != null) {
                log.warn("{}: {}: sending start_stop_unit failed, no sense available", scsi.name(), NAME);
                return ScsiDh.done(PgInitResult.IO);
            }
            if (r.status() == ScsiStatus.GOOD) {
                return ScsiDh.done(PgInitResult.OK);
            }
            if (!ScsiDh.hasSense(r)) {
                log.warn("{}: {}: sending start_stop_unit failed, no sense available", scsi.name(), NAME);
                return ScsiDh.done(PgInitResult.IO);
            }
            if (ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x03)) {
                return left > 0 ? startStop(scsi, left - 1) : ScsiDh.done(PgInitResult.RETRY);
            }
            log.warn("{}: {}: sending start_stop_unit failed, sense {}", scsi.name(), NAME, r.sense());
            return ScsiDh.done(PgInitResult.IO);
        }).thenCompose(f -> f);
    }

    /** Registers hp_sw with the multipath target's handler registry. */
    public static final class Provider extends NamedHandlerProvider {
        public Provider() {
            super(NAME, HpSwHandler::new);
        }
    }
}
