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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * rdac, as the kernel's scsi_dh_rdac for LSI/Engenio/NetApp E-Series arrays. Attach reads the
 * vendor VPD pages 0xC8 (LUN number and array identity; a page without "edid" is not supported),
 * 0xC4 (which controller), 0xC9 (ownership, RDAC/AVT/IOSHIP mode, preferred path) and 0xC2 (more
 * than 31 LUNs: MODE SELECT(10)). pg_init reads 0xC9 again; a LUN this controller does not own (in
 * RDAC mode, or in IOSHIP mode on the preferred path) is transferred with a MODE SELECT of the
 * redundant controller page 0x2C naming its LUN (0x81 in the LUN table), batched with the other
 * activations waiting on the same controller. Its retries are the kernel's (NO SENSE, ABORTED
 * COMMAND, UNIT ATTENTION and NOT READY 04/01 five times; command lock contention 91/36 many
 * times); any failure left is SCSI_DH_IO.
 */
public final class RdacHandler extends AttachedPaths<RdacHandler.Lun> {
    private static final Logger log = LoggerFactory.getLogger(RdacHandler.class);
    public static final String NAME = "rdac";

    static final int C8_SIZE = 175;
    static final int C4_SIZE = 32;
    static final int C9_SIZE = 48;
    static final int C2_SIZE = 255;
    static final int MODE6_MAX_LUN = 32;
    static final int LEGACY_SIZE = 110;
    static final int EXPANDED_SIZE = 308;
    static final int RETRY_COUNT = 5;
    /** Command lock contention is retried without limit in the kernel; bounded here. */
    static final int LOCK_RETRIES = 100;

    enum Mode { RDAC, AVT, IOSHIP }

    /** The kernel's struct rdac_controller: shared by the paths through one controller of one array. */
    static final class Controller {
        final String key;
        final int index;
        final String arrayName;
        volatile boolean useMs10;
        final List<Queued> queue = new ArrayList<>();
        boolean queued;

        Controller(String key, int index, String arrayName) {
            this.key = key;
            this.index = index;
            this.arrayName = arrayName;
        }
    }

    record Queued(Lun lun, CompletableFuture<PgInitResult> done) {
    }

    /** The kernel's struct rdac_dh_data for one path. */
    static final class Lun {
        final ScsiPath scsi;
        final int lun;
        final Controller ctlr;
        volatile Mode mode = Mode.RDAC;
        volatile boolean owned;
        volatile boolean preferred;
        volatile boolean active = true;

        Lun(ScsiPath scsi, int lun, Controller ctlr) {
            this.scsi = scsi;
            this.lun = lun;
            this.ctlr = ctlr;
        }
    }

    private final Map<String, Controller> controllers = new ConcurrentHashMap<>();
    public RdacHandler() {
        super(NAME);
    }

    @Override
    public void attach(BlockDevice path, List<String> params) throws TargetException {
        ScsiPath scsi = ScsiPath.of(path).orElseThrow(ScsiDh::attachFailed);
        ByteBuffer c8 = vpd(scsi, 0xc8, C8_SIZE);
        if (c8 == null) {
            throw failed(scsi, PgInitResult.IO);
        }
        if ((c8.get(1) & 0xff) != 0xc8 || c8.get(4) != 'e' || c8.get(5) != 'd' || c8.get(6) != 'i' || c8.get(7) != 'd') {
            throw failed(scsi, PgInitResult.NOSYS);
        }
        int lunNo = c8.get(174) & 0xff;
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            char ch = (char) (c8.get(107 + 2 * i + 1) & 0xff);
            if (ch == 0) {
                break;
            }
            name.append(ch);
        }
        byte[] arrayId = new byte[16];
        int idLen = Math.min(16, c8.get(89) & 0xff);
        c8.get(90, arrayId, 0, idLen);
        ByteBuffer c4 = vpd(scsi, 0xc4, C4_SIZE);
        if (c4 == null) {
            throw failed(scsi, PgInitResult.IO);
        }
        int index = c4.get(29) == 0x31 ? 0 : 1;
        String key = HexFormat.of().formatHex(arrayId) + "/" + index;
        Controller ctlr = controllers.computeIfAbsent(key, k -> new Controller(k, index, name.toString()));
        Lun l = new Lun(scsi, lunNo, ctlr);
        PgInitResult own = ScsiDh.attachWait(checkOwnership(l), "error attaching hardware handler");
        if (own != PgInitResult.OK) {
            throw failed(scsi, own);
        }
        ByteBuffer c2 = vpd(scsi, 0xc2, C2_SIZE);
        if (c2 == null) {
            throw failed(scsi, PgInitResult.IO);
        }
        ctlr.useMs10 = (c2.get(15) & 0xff) >= MODE6_MAX_LUN;
        log.info("{}: {}: LUN {} ({}) ({})", scsi.name(), NAME, lunNo, l.mode, l.owned ? "owned" : "unowned");
        attached.put(path, l);
    }

    private static ByteBuffer vpd(ScsiPath scsi, int page, int size) throws TargetException {
        try {
            return ScsiDh.vpdPage(scsi, page, size).get(ScsiDh.ATTACH_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ScsiDh.attachFailed();
        } catch (Exception e) {
            return null;
        }
    }

    private static TargetException failed(ScsiPath scsi, PgInitResult r) {
        log.error("{}: {}: Attach failed ({})", scsi.name(), NAME, r.code());
        return ScsiDh.attachFailed();
    }

    /** check_ownership: VPD page 0xC9 into mode, ownership and preference. */
    static CompletableFuture<PgInitResult> checkOwnership(Lun l) {
        l.active = true;
        return ScsiDh.vpdPage(l.scsi, 0xc9, C9_SIZE).handle((b, e) -> {
            if (e != null) {
                return PgInitResult.IO;
            }
            int avt = b.get(8) & 0xff;
            l.mode = ((avt >>> 5) & 1) != 0 ? Mode.IOSHIP : (avt >>> 7) != 0 ? Mode.AVT : Mode.RDAC;
            l.owned = (avt & 1) != 0;
            if (!l.owned && l.mode == Mode.RDAC) {
                l.active = false;
            }
            l.preferred = (b.get(9) & 1) != 0;
            return PgInitResult.OK;
        });
    }

    @Override
    public CompletableFuture<PgInitResult> pgInit(BlockDevice path) {
        Lun l = attached.get(path);
        if (l == null) {
            return ScsiDh.done(PgInitResult.NOSYS);
        }
        return checkOwnership(l).thenCompose(r -> {
            if (r != PgInitResult.OK) {
                return ScsiDh.done(r);
            }
            boolean act = switch (l.mode) {
                case RDAC -> !l.owned;
                case IOSHIP -> !l.owned && l.preferred;
                case AVT -> false;
            };
            return act ? queueModeSelect(l) : ScsiDh.done(PgInitResult.OK);
        });
    }

    private static CompletableFuture<PgInitResult> queueModeSelect(Lun l) {
        Controller c = l.ctlr;
        CompletableFuture<PgInitResult> done = new CompletableFuture<>();
        boolean start;
        synchronized (c) {
            c.queue.add(new Queued(l, done));
            start = !c.queued;
            c.queued = true;
        }
        if (start) {
            CompletableFuture.runAsync(() -> sendModeSelect(c, l.scsi));
        }
        return done;
    }

    /** send_mode_select: one MODE SELECT for every LUN queued on the controller. */
    private static void sendModeSelect(Controller c, ScsiPath scsi) {
        List<Queued> batch;
        synchronized (c) {
            batch = new ArrayList<>(c.queue);
            c.queue.clear();
            c.queued = false;
        }
        int[] lunNos = batch.stream().mapToInt(q -> q.lun().lun).toArray();
        ByteBuffer page = modeSelectPage(c.useMs10, lunNos);
        byte[] cdb = modeSelectCdb(c.useMs10, page.remaining());
        log.info("{}: {}: array {}, ctlr {}, queueing MODE_SELECT command", scsi.name(), NAME, c.arrayName, c.index);
        modeSelect(scsi, cdb, page, RETRY_COUNT, LOCK_RETRIES).whenComplete((r, e) -> {
            PgInitResult res = e != null ? PgInitResult.IO : r;
            if (res == PgInitResult.OK) {
                log.info("{}: {}: array {}, ctlr {}, MODE_SELECT completed", scsi.name(), NAME, c.arrayName, c.index);
            }
            for (Queued q : batch) {
                if (res == PgInitResult.OK) {
                    q.lun().active = true;
                }
                q.done().complete(res);
            }
        });
    }

    private static CompletableFuture<PgInitResult> modeSelect(ScsiPath scsi, byte[] cdb, ByteBuffer page, int left, int lockLeft) {
        return scsi.execute(cdb, null, page.duplicate()).handle((r, e) -> {
            if (e != null) {
                return ScsiDh.done(PgInitResult.IO);
            }
            if (r.status() == ScsiStatus.GOOD) {
                return ScsiDh.done(PgInitResult.OK);
            }
            if (ScsiDh.sense(r, SenseKey.ILLEGAL_REQUEST, 0x91, 0x36) && lockLeft > 0) {
                return modeSelect(scsi, cdb, page, left, lockLeft - 1);
            }
            if (retryable(r) && left > 0) {
                return modeSelect(scsi, cdb, page, left - 1, lockLeft);
            }
            if (ScsiDh.hasSense(r)) {
                log.info("{}: {}: MODE_SELECT returned with sense {}", scsi.name(), NAME, r.sense());
            }
            return ScsiDh.done(PgInitResult.IO);
        }).thenCompose(f -> f);
    }

    private static boolean retryable(ScsiResult r) {
        return ScsiDh.sense(r, SenseKey.NO_SENSE, -1, -1) || ScsiDh.sense(r, SenseKey.ABORTED_COMMAND, -1, -1)
                || ScsiDh.sense(r, SenseKey.UNIT_ATTENTION, -1, -1) || ScsiDh.sense(r, SenseKey.NOT_READY, 0x04, 0x01);
    }

    /** rdac_failover_get's parameter list: the redundant controller page, legacy or expanded. */
    static ByteBuffer modeSelectPage(boolean ms10, int... lunNos) {
        byte[] b = new byte[ms10 ? EXPANDED_SIZE : LEGACY_SIZE];
        int common;
        int table;
        if (ms10) {
            b[8] = 0x2c + 0x40;
            b[9] = 0x01;
            b[10] = 0x01;
            b[11] = 0x28;
            common = 12;
        } else {
            b[4] = 0x2c;
            b[5] = 0x68;
            common = 6;
        }
        table = common + 38;
        b[common + 33] = 0x02;  // rdac_mode[1]: transfer specified LUNs
        b[common + 36] = 20;    // quiescence timeout
        b[common + 37] = 0x02;  // forced quiescence
        for (int lun : lunNos) {
            b[table + lun] = (byte) 0x81;
        }
        return ByteBuffer.wrap(b);
    }

    static byte[] modeSelectCdb(boolean ms10, int size) {
        if (ms10) {
            byte[] c = new byte[10];
            c[0] = (byte) Cdb.MODE_SELECT_10;
            c[7] = (byte) (size >>> 8);
            c[8] = (byte) size;
            return c;
        }
        byte[] c = new byte[6];
        c[0] = (byte) Cdb.MODE_SELECT_6;
        c[4] = (byte) size;
        return c;
    }

    /** Registers rdac with the multipath target's handler registry. */
    public static final class Provider extends NamedHandlerProvider {
        public Provider() {
            super(NAME, RdacHandler::new);
        }
    }
}
