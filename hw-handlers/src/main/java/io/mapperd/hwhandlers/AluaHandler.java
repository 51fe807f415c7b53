package io.mapperd.hwhandlers;

import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.mapperd.transport.iscsi.scsi.StandardInquiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * alua, as the kernel's scsi_dh_alua. Attach reads TPGS from standard INQUIRY and the target port
 * group and relative port from VPD page 0x83 (no TPGS, or no group designator: the device is not
 * supported, SCSI_DH_DEV_UNSUPP, and the table load fails). pg_init runs REPORT TARGET PORT GROUPS
 * (extended header, 128 bytes, grown if the data is longer; without the extended header if the
 * target refuses it), waits out a transitioning group (RTPG again every 2 s until the transition
 * timeout the target reports, 60 s by default, then SCSI_DH_IO), and with explicit ALUA sends SET
 * TARGET PORT GROUPS asking for active/optimized when the group is not already
 * (active/non-optimized too, unless the optimize parameter is set for a non-preferred group of a
 * target that also does implicit ALUA), then RTPG again. An offline group gives
 * SCSI_DH_DEV_OFFLINED. Parameter: {@code 2 alua 0|1} (optimize STPG). The port group state is
 * kept per path.
 */
public final class AluaHandler extends AttachedPaths<AluaHandler.PortGroup> {
    private static final Logger log = LoggerFactory.getLogger(AluaHandler.class);
    public static final String NAME = "alua";

    static final int RTPG_SIZE = 128;
    static final int FAILOVER_TIMEOUT_SECONDS = 60;
    static final long RETRY_DELAY_MILLIS = 2000;
    static final int TPGS_IMPLICIT = 1;
    static final int TPGS_EXPLICIT = 2;
    static final int STATE_OPTIMIZED = 0x0;
    static final int STATE_NONOPTIMIZED = 0x1;
    static final int STATE_STANDBY = 0x2;
    static final int STATE_UNAVAILABLE = 0x3;
    static final int STATE_OFFLINE = 0xe;
    static final int STATE_TRANSITIONING = 0xf;
    static final int SUPPORT_OPTIMIZED = 0x01;
    private static final int ENODEV = 19;

    /** The kernel's struct alua_port_group for one path; touched by one pg_init at a time. */
    static final class PortGroup {
        final ScsiPath scsi;
        final int tpgs;
        final int groupId;
        final int relPort;
        volatile boolean optimize;
        volatile int state = STATE_OPTIMIZED;
        volatile boolean pref;
        volatile int validStates;
        volatile int transitionTmo;
        volatile long expiryNanos;
        volatile boolean extHdrUnsupported;
        CompletableFuture<PgInitResult> last = CompletableFuture.completedFuture(PgInitResult.OK);

        PortGroup(ScsiPath scsi, int tpgs, int groupId, int relPort) {
            this.scsi = scsi;
            this.tpgs = tpgs;
            this.groupId = groupId;
            this.relPort = relPort;
        }
    }

    public AluaHandler() {
        super(NAME);
    }

    @Override
    public void attach(BlockDevice path, List<String> params) throws TargetException {
        ScsiPath scsi = ScsiPath.of(path).orElseThrow(() -> new TargetException("error attaching hardware handler", ENODEV));
        PortGroup pg = initialize(scsi);
        if (!params.isEmpty()) {
            if (params.size() != 1 || !(params.get(0).equals("0") || params.get(0).equals("1"))) {
                throw ScsiDh.paramsRefused();
            }
            pg.optimize = params.get(0).equals("1");
        }
        // the kernel queues an RTPG at attach so the group's state is known before the first activation
        ScsiDh.attachWait(rtpg(pg).exceptionally(e -> PgInitResult.IO), "error attaching hardware handler");
        attached.put(path, pg);
    }

    /** alua_initialize: TPGS and the port group, or the attach failure (not supported). */
    private PortGroup initialize(ScsiPath scsi) throws TargetException {
        ByteBuffer in = ByteBuffer.allocate(36);
        ScsiResult r = ScsiDh.attachWait(scsi.execute(Cdb.inquiry(false, 0, 36), in, null), "error attaching hardware handler");
        if (r.status() != ScsiStatus.GOOD || r.data() == null || r.data().remaining() < 36) {
            throw unsupported(scsi, "no INQUIRY data");
        }
        StandardInquiry inq = StandardInquiry.decode(r.data());
        if (inq.deviceType() != 0) {
            throw unsupported(scsi, "disable for non-disk devices");
        }
        if (inq.tpgs() == 0) {
            throw unsupported(scsi, "not supported");
        }
        ByteBuffer vpd = ByteBuffer.allocate(255);
        ScsiResult v = ScsiDh.attachWait(scsi.execute(ScsiDh.vpdInquiry(DeviceIdentification.PAGE, 255), vpd, null),
                "error attaching hardware handler");
        DeviceIdentification id = v.status() == ScsiStatus.GOOD && v.data() != null ? DeviceIdentification.decode(v.data()) : null;
        int group = id == null ? -1 : id.find(Designator.TYPE_TARGET_PORT_GROUP).map(Designator::number).orElse(-1);
        int rel = id == null ? -1 : id.find(Designator.TYPE_RELATIVE_PORT).map(Designator::number).orElse(-1);
        if (group < 0) {
            throw unsupported(scsi, "No target port descriptors found");
        }
        log.info("{}: alua: {} TPGS, port group {} rel port {}", scsi.name(),
                switch (inq.tpgs()) {
                    case 1 -> "implicit";
                    case 2 -> "explicit";
                    default -> "implicit and explicit";
                }, Integer.toHexString(group), Integer.toHexString(rel));
        return new PortGroup(scsi, inq.tpgs(), group, rel);
    }

    private static TargetException unsupported(ScsiPath scsi, String why) {
        log.info("{}: alua: {}", scsi.name(), why);
        log.error("{}: alua: Attach failed ({})", scsi.name(), PgInitResult.DEV_UNSUPP.code());
        return new TargetException("error attaching hardware handler", ENODEV);
    }

    @Override
    public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
        PortGroup pg = attached.get(path);
        if (pg == null) {
            // scsi_dh_activate on a device without this handler attached
            return ScsiDh.done(PgInitResult.NOSYS);
        }
        synchronized (pg) {
            CompletableFuture<PgInitResult> next = pg.last.handle((r, e) -> null).thenCompose(x -> work(pg, true));
            pg.last = next;
            return next;
        }
    }

    /** Attach-time outcome for a device without attaching it: OK, or DEV_UNSUPP as the kernel's attach returns. */
    public PgInitResult probe(BlockDevice path) {
        if (ScsiPath.of(path).isEmpty()) {
            return PgInitResult.NOSYS;
        }
        try {
            initialize(ScsiPath.of(path).get());
            return PgInitResult.OK;
        } catch (TargetException e) {
            return PgInitResult.DEV_UNSUPP;
        }
    }

    /** alua_rtpg_work for an activation: RTPG (retried while it says so), then STPG once, then RTPG again. */
    private CompletableFuture<PgInitResult> work(PortGroup pg, boolean stpg) {
        return rtpgStep(pg).thenCompose(err -> {
            if (err == PgInitResult.RETRY || err == PgInitResult.IMM_RETRY) {
                long delay = err == PgInitResult.IMM_RETRY ? 0 : RETRY_DELAY_MILLIS;
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> work(pg, stpg));
            }
            if (err != PgInitResult.OK || !stpg) {
                return ScsiDh.done(err);
            }
            return stpg(pg).thenCompose(e2 -> e2 == PgInitResult.RETRY ? work(pg, false) : ScsiDh.done(e2));
        });
    }

    /** A transitioning group is first asked with TEST UNIT READY; still transitioning means retry later. */
    private CompletableFuture<PgInitResult> rtpgStep(PortGroup pg) {
        if (pg.state != STATE_TRANSITIONING) {
            return rtpg(pg);
        }
        return pg.scsi.execute(Cdb.testUnitReady(), null, null)
                .handle((r, e) -> e == null && ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x0a))
                .thenCompose(transitioning -> transitioning ? ScsiDh.done(PgInitResult.RETRY) : rtpg(pg));
    }

    /** alua_rtpg: reads the group's state and judges it. */
    CompletableFuture<PgInitResult> rtpg(PortGroup pg) {
        if (pg.expiryNanos == 0) {
            long tmo = pg.transitionTmo > 0 ? pg.transitionTmo : FAILOVER_TIMEOUT_SECONDS;
            pg.expiryNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(tmo);
        }
        return submitRtpg(pg, RTPG_SIZE);
    }

    /** REPORT TARGET PORT GROUPS as submit_rtpg builds it. */
    static byte[] rtpgCdb(boolean extendedHeader, int length) {
        byte[] c = new byte[12];
        c[0] = (byte) Cdb.MAINTENANCE_IN;
        c[1] = (byte) (Cdb.MI_REPORT_TARGET_PORT_GROUPS | (extendedHeader ? 0x20 : 0));
        c[6] = (byte) (length >>> 24);
        c[7] = (byte) (length >>> 16);
        c[8] = (byte) (length >>> 8);
        c[9] = (byte) length;
        return c;
    }

    private CompletableFuture<PgInitResult> submitRtpg(PortGroup pg, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        return pg.scsi.execute(rtpgCdb(!pg.extHdrUnsupported, length), buf, null).handle((r, e) -> {
            boolean onlyOptimized = (pg.validStates & ~SUPPORT_OPTIMIZED) == 0;
            if (e != null || r.status() != ScsiStatus.GOOD) {
                if (onlyOptimized) {
                    log.info("{}: alua: ignoring rtpg result {}", pg.scsi.name(), e != null ? e.toString() : r.describe());
                    return ScsiDh.done(PgInitResult.OK);
                }
                if (e != null) {
                    log.info("{}: alua: rtpg failed, result {}", pg.scsi.name(), e.toString());
                    return ScsiDh.done(BioException.statusOf(e) == BlkStatus.TIMEOUT ? PgInitResult.IO : PgInitResult.RES_TEMP_UNAVAIL);
                }
                if (!ScsiDh.hasSense(r)) {
                    log.info("{}: alua: rtpg failed, result {}", pg.scsi.name(), r.describe());
                    return ScsiDh.done(PgInitResult.IO);
                }
                if (!pg.extHdrUnsupported && r.sense().key() == SenseKey.ILLEGAL_REQUEST) {
                    pg.extHdrUnsupported = true;
                    return submitRtpg(pg, length);
                }
                if (ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x0a)) {
                    pg.state = STATE_TRANSITIONING;
                    return ScsiDh.done(judge(pg));
                }
                if (r.sense().key() == SenseKey.UNIT_ATTENTION && pg.expiryNanos != 0 && System.nanoTime() - pg.expiryNanos < 0) {
                    log.warn("{}: alua: rtpg retry: {}", pg.scsi.name(), r.describe());
                    return ScsiDh.done(PgInitResult.RETRY);
                }
                log.error("{}: alua: rtpg failed: {}", pg.scsi.name(), r.describe());
                pg.expiryNanos = 0;
                return ScsiDh.done(PgInitResult.IO);
            }
            ByteBuffer d = r.data();
            int p0 = d.position();
            if (d.remaining() < 4) {
                return ScsiDh.done(PgInitResult.IO);
            }
            long len = (d.getInt(p0) & 0xffffffffL) + 4;
            if (len > length) {
                return submitRtpg(pg, (int) Math.min(len, 1 << 20));
            }
            boolean ext = d.remaining() > 4 && (d.get(p0 + 4) & 0x70) == 0x10;
            int tmo = ext && d.remaining() > 5 && d.get(p0 + 5) != 0 ? d.get(p0 + 5) & 0xff : FAILOVER_TIMEOUT_SECONDS;
            if (tmo != pg.transitionTmo) {
                if (pg.transitionTmo != 0) {
                    log.info("{}: alua: transition timeout set to {} seconds", pg.scsi.name(), tmo);
                }
                pg.transitionTmo = tmo;
                pg.expiryNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(tmo);
            }
            int end = (int) Math.min(len, d.remaining());
            int oldState = pg.state;
            boolean oldPref = pg.pref;
            int oldValid = pg.validStates;
            for (int k = ext ? 8 : 4; k + 8 <= end; ) {
                int group = d.getShort(p0 + k + 2) & 0xffff;
                if (group == pg.groupId) {
                    int b0 = d.get(p0 + k) & 0xff;
                    pg.state = b0 & 0x0f;
                    pg.pref = (b0 & 0x80) != 0;
                    pg.validStates = d.get(p0 + k + 1) & 0xff;
                }
                k += 8 + 4 * (d.get(p0 + k + 7) & 0xff);
            }
            if (oldState != pg.state || oldPref != pg.pref || oldValid != pg.validStates) {
                log.info("{}: alua: port group {} state {} {} supports {}", pg.scsi.name(), String.format("%02x", pg.groupId),
                        stateLetter(pg.state), pg.pref ? "preferred" : "non-preferred", supports(pg.validStates));
            }
            return ScsiDh.done(judge(pg));
        }).thenCompose(f -> f);
    }

    /** The end of alua_rtpg: what the group's state means for the activation. */
    private static PgInitResult judge(PortGroup pg) {
        switch (pg.state) {
            case STATE_TRANSITIONING -> {
                if (System.nanoTime() - pg.expiryNanos < 0) {
                    return PgInitResult.RETRY;
                }
                pg.state = STATE_STANDBY;
                pg.expiryNanos = 0;
                return PgInitResult.IO;
            }
            case STATE_OFFLINE -> {
                pg.expiryNanos = 0;
                return PgInitResult.DEV_OFFLINED;
            }
            default -> {
                pg.expiryNanos = 0;
                return PgInitResult.OK;
            }
        }
    }

    /** SET TARGET PORT GROUPS asking for active/optimized for one group, as submit_stpg builds it. */
    static byte[] stpgCdb() {
        return Cdb.setTargetPortGroups(8);
    }

    static ByteBuffer stpgData(int groupId) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put(4, (byte) STATE_OPTIMIZED);
        b.putShort(6, (short) groupId);
        return b;
    }

    /** alua_stpg: whether and how the group is asked to become active/optimized. */
    private CompletableFuture<PgInitResult> stpg(PortGroup pg) {
        if ((pg.tpgs & TPGS_EXPLICIT) == 0) {
            return ScsiDh.done(PgInitResult.RETRY);
        }
        switch (pg.state) {
            case STATE_OPTIMIZED -> {
                return ScsiDh.done(PgInitResult.OK);
            }
            case STATE_NONOPTIMIZED -> {
                if (pg.optimize && !pg.pref && (pg.tpgs & TPGS_IMPLICIT) != 0) {
                    return ScsiDh.done(PgInitResult.OK);
                }
            }
            case STATE_STANDBY, STATE_UNAVAILABLE, STATE_TRANSITIONING -> {
            }
            case STATE_OFFLINE -> {
                return ScsiDh.done(PgInitResult.IO);
            }
            default -> {
                log.info("{}: alua: stpg failed, unhandled TPGS state {}", pg.scsi.name(), pg.state);
                return ScsiDh.done(PgInitResult.NOSYS);
            }
        }
        return pg.scsi.execute(stpgCdb(), null, stpgData(pg.groupId)).handle((r, e) -> {
            if (e != null) {
                log.info("{}: alua: stpg failed, result {}", pg.scsi.name(), e.toString());
            } else if (r.status() != ScsiStatus.GOOD) {
                log.info("{}: alua: stpg failed: {}", pg.scsi.name(), r.describe());
            }
            return PgInitResult.RETRY;
        });
    }

    static char stateLetter(int state) {
        return switch (state) {
            case STATE_OPTIMIZED -> 'A';
            case STATE_NONOPTIMIZED -> 'N';
            case STATE_STANDBY -> 'S';
            case STATE_UNAVAILABLE -> 'U';
            case 0x4 -> 'L';
            case STATE_OFFLINE -> 'O';
            case STATE_TRANSITIONING -> 'T';
            default -> 'X';
        };
    }

    private static String supports(int v) {
        return "" + ((v & 0x80) != 0 ? 'T' : 't') + ((v & 0x40) != 0 ? 'O' : 'o') + ((v & 0x10) != 0 ? 'L' : 'l')
                + ((v & 0x08) != 0 ? 'U' : 'u') + ((v & 0x04) != 0 ? 'S' : 's') + ((v & 0x02) != 0 ? 'N' : 'n')
                + ((v & 0x01) != 0 ? 'A' : 'a');
    }

    /** Registers alua with the multipath target's handler registry. */
    public static final class Provider extends NamedHandlerProvider {
        public Provider() {
            super(NAME, AluaHandler::new);
        }
    }
}
