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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * emc, as the kernel's scsi_dh_emc for EMC CLARiiON arrays. Attach reads the array model from
 * standard INQUIRY (FC-series arrays, and arrays without the extended section but with vendor DGC,
 * get the short trespass) and the LUN's state from vendor VPD page 0xC0 (an array not in failover
 * mode 4 or 6 is not supported). pg_init reads page 0xC0; if the LUN is not owned by this SP it sends
 * the trespass (MODE SELECT of page 0x22: long form through MODE SELECT(10), short form through MODE
 * SELECT(6) with PF) and reads page 0xC0 again. An array-based copy or a firmware upgrade in progress
 * gives SCSI_DH_DEV_TEMP_BUSY, other trespass refusals SCSI_DH_DEV_FAILED, a page 0xC0 that cannot
 * be read SCSI_DH_IO. Parameters: {@code 3 emc SHORT_TRESPASS HONOR_RESERVATIONS} (each 0 or 1).
 */
public final class EmcHandler extends AttachedPaths<EmcHandler.Lun> {
    private static final Logger log = LoggerFactory.getLogger(EmcHandler.class);
    public static final String NAME = "emc";

    static final int TRESPASS_PAGE = 0x22;
    static final int BUFFER_SIZE = 0xfc;
    static final int LUN_OWNED = 2;
    private static final String[] LUN_STATES = {"not bound", "bound", "owned"};

    /** The kernel's struct clariion_dh_data. */
    static final class Lun {
        final ScsiPath scsi;
        volatile boolean shortTrespass;
        volatile boolean honorReservations;
        volatile int lunState = -1;
        volatile int defaultSp = -1;
        volatile int currentSp = -1;
        volatile int port;

        Lun(ScsiPath scsi) {
            this.scsi = scsi;
        }
    }

    public EmcHandler() {
        super(NAME);
    }

    @Override
    public void attach(BlockDevice path, List<String> params) throws TargetException {
        ScsiPath scsi = ScsiPath.of(path).orElseThrow(ScsiDh::attachFailed);
        Lun l = new Lun(scsi);
        // the kernel keeps the scan's standard INQUIRY data; it is read here
        ByteBuffer in = ByteBuffer.allocate(255);
        ScsiResult inq = ScsiDh.attachWait(scsi.execute(Cdb.inquiry(false, 0, 255), in, null), "error attaching hardware handler");
        String model = inq.status() == ScsiStatus.GOOD && inq.data() != null ? spModel(inq.data()) : null;
        if (model == null) {
            log.error("{}: {}: Attach failed ({})", scsi.name(), NAME, PgInitResult.DEV_UNSUPP.code());
            throw ScsiDh.attachFailed();
        }
        l.shortTrespass = model.isEmpty() || model.startsWith("FC");
        log.info("{}: {}: detected Clariion {}, flags {}", scsi.name(), NAME, model, l.shortTrespass ? 1 : 0);
        PgInitResult r = ScsiDh.attachWait(spInfo(l), "error attaching hardware handler");
        if (r != PgInitResult.OK) {
            log.error("{}: {}: Attach failed ({})", scsi.name(), NAME, r.code());
            throw ScsiDh.attachFailed();
        }
        log.info("{}: {}: connected to SP {} Port {} ({}, default SP {})", scsi.name(), NAME, sp(l.currentSp), l.port,
                lunState(l), sp(l.defaultSp));
        if (!params.isEmpty()) {
            setParams(l, params);
        }
        attached.put(path, l);
    }

    /** clariion_set_params: two flags; an owned LUN is trespassed again with them. */
    private static void setParams(Lun l, List<String> params) throws TargetException {
        if (params.size() != 2 || !bit(params.get(0)) || !bit(params.get(1))) {
            throw ScsiDh.paramsRefused();
        }
        l.shortTrespass = params.get(0).equals("1");
        l.honorReservations = params.get(1).equals("1");
        if (l.lunState != LUN_OWNED) {
            return;
        }
        l.lunState = -1;
        PgInitResult r = ScsiDh.attachWait(trespass(l).thenCompose(t -> t == PgInitResult.OK ? spInfo(l) : ScsiDh.done(t)),
                "unable to set hardware handler parameters");
        if (r != PgInitResult.OK) {
            throw ScsiDh.paramsRefused();
        }
    }

    private static boolean bit(String s) {
        return s.equals("0") || s.equals("1");
    }

    @Override
    public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
        Lun l = attached.get(path);
        if (l == null) {
            return ScsiDh.done(PgInitResult.NOSYS);
        }
        return spInfo(l).thenCompose(r -> {
            if (r != PgInitResult.OK || l.lunState == LUN_OWNED) {
                return ScsiDh.done(r);
            }
            return trespass(l).thenCompose(t -> {
                if (t != PgInitResult.OK) {
                    return ScsiDh.done(t);
                }
                log.info("{}: {}: {} trespass command sent", l.scsi.name(), NAME, l.shortTrespass ? "short" : "long");
                return spInfo(l);
            });
        }).whenComplete((r, e) -> log.info("{}: {}: at SP {} Port {} ({}, default SP {})", l.scsi.name(), NAME,
                sp(l.currentSp), l.port, lunState(l), sp(l.defaultSp)));
    }

    /** parse_sp_model: the SP model from standard INQUIRY data, "" if unknown, null if not a CLARiiON. */
    static String spModel(ByteBuffer b) {
        int p = b.position();
        int n = b.remaining();
        int len = n > 4 ? (b.get(p + 4) & 0xff) + 5 : 0;
        if (len < 160) {
            if (n >= 11 && new String(new byte[]{b.get(p + 8), b.get(p + 9), b.get(p + 10)}, StandardCharsets.US_ASCII).equals("DGC")) {
                return "FC (Legacy)";
            }
            return null;
        }
        if (n < 161) {
            return null;
        }
        int serialLen = b.get(p + 160) & 0xff;
        if (serialLen == 0 || serialLen + 161 > len) {
            return null;
        }
        int spLen = b.get(p + 99) & 0xff;
        if (spLen == 0 || serialLen + spLen + 161 > len || serialLen + spLen + 161 > n) {
            return null;
        }
        byte[] m = new byte[spLen];
        b.get(p + serialLen + 161, m);
        int end = spLen;
        while (end > 1 && m[end - 1] == ' ') {
            end--;
        }
        return new String(m, 0, end, StandardCharsets.US_ASCII);
    }

    /** clariion_send_inquiry and parse_sp_info_reply: VPD page 0xC0 into the LUN's state. */
    static CompletableFuture<PgInitResult> spInfo(Lun l) {
        return ScsiDh.vpdPage(l.scsi, 0xc0, BUFFER_SIZE).handle((b, e) -> {
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                log.info("{}: {}: cannot read VPD page 0xC0: {}", l.scsi.name(), NAME, c.getMessage());
                return PgInitResult.IO;
            }
            if (b.get(48) != 0) {
                log.info("{}: {}: Detected in-progress ucode upgrade NDU operation while finding current active SP.", l.scsi.name(), NAME);
                return PgInitResult.DEV_TEMP_BUSY;
            }
            if ((b.get(4) & 0xff) > 2) {
                log.info("{}: {}: invalid VPD page 0xC0 format", l.scsi.name(), NAME);
                return PgInitResult.NOSYS;
            }
            int mode = b.get(28) & 0x0f;
            if (mode != 4 && mode != 6) {
                log.warn("{}: {}: Invalid failover mode {}", l.scsi.name(), NAME, mode);
                return PgInitResult.NOSYS;
            }
            l.defaultSp = b.get(5);
            l.lunState = b.get(4);
            l.currentSp = b.get(8);
            l.port = b.get(7);
            return PgInitResult.OK;
        });
    }

    /** The trespass page: long (MODE SELECT(10) parameter list) or short (MODE SELECT(6)). */
    static ByteBuffer trespassPage(boolean shortForm, boolean honorReservations) {
        int code = 0x01 | (honorReservations ? 0 : 0x80);
        if (shortForm) {
            return ByteBuffer.wrap(new byte[]{0, 0, 0, 0, TRESPASS_PAGE, 0x02, (byte) code, (byte) 0xff});
        }
        return ByteBuffer.wrap(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, TRESPASS_PAGE, 0x09, (byte) code, (byte) 0xff, (byte) 0xff,
                0, 0, 0, 0, 0, 0});
    }

    static byte[] trespassCdb(boolean shortForm, int length) {
        if (shortForm) {
            return new byte[]{(byte) Cdb.MODE_SELECT_6, 0x10, 0, 0, (byte) length, 0};
        }
        return new byte[]{(byte) Cdb.MODE_SELECT_10, 0, 0, 0, 0, 0, 0, 0, (byte) length, 0};
    }

    /** send_trespass_cmd and trespass_endio. */
    static CompletableFuture<PgInitResult> trespass(Lun l) {
        ByteBuffer page = trespassPage(l.shortTrespass, l.honorReservations);
        return l.scsi.execute(trespassCdb(l.shortTrespass, page.remaining()), null, page).handle((r, e) -> {
            if (e == null && r.status() == ScsiStatus.GOOD) {
                return PgInitResult.OK;
            }
            if (e != null || !ScsiDh.hasSense(r)) {
                log.info("{}: {}: failed to send MODE SELECT: {}", l.scsi.name(), NAME, e != null ? e.toString() : r.describe());
                return PgInitResult.IO;
            }
            log.error("{}: {}: Found valid sense data {} while sending CLARiiON trespass command.", l.scsi.name(), NAME, r.sense());
            if (ScsiDh.sense(r, SenseKey.ILLEGAL_REQUEST, 0x04, 0x01)) {
                log.info("{}: {}: Array Based Copy in progress while sending CLARiiON trespass command.", l.scsi.name(), NAME);
                return PgInitResult.DEV_TEMP_BUSY;
            }
            if (ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x03)) {
                log.info("{}: {}: Detected in-progress ucode upgrade NDU operation while sending CLARiiON trespass command.",
                        l.scsi.name(), NAME);
                return PgInitResult.DEV_TEMP_BUSY;
            }
            return PgInitResult.DEV_FAILED;
        });
    }

    private static char sp(int sp) {
        return (char) ('A' + sp);
    }

    private static String lunState(Lun l) {
        return l.lunState >= 0 && l.lunState < LUN_STATES.length ? LUN_STATES[l.lunState] : "uninitialized";
    }

    /** Registers emc with the multipath target's handler registry. */
    public static final class Provider extends NamedHandlerProvider {
        public Provider() {
            super(NAME, EmcHandler::new);
        }
    }
}
