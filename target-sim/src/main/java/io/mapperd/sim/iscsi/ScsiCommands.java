package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.Extent;
import io.mapperd.transport.iscsi.Lun;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;
import io.mapperd.transport.iscsi.scsi.TargetPortGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The simulator's SCSI command set (SPC-4/SBC-3 subset): what the initiator sends plus what libiscsi's
 * tools and conformance suite exercise. ALUA states gate commands per the port group of the portal a
 * command arrived on; a portal's injected CHECK CONDITION answers media commands.
 */
final class ScsiCommands {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int MAX_TRANSFER_BLOCKS = 16384;
    private static final int MAX_UNMAP_BLOCKS = 1 << 20;
    private static final int MAX_UNMAP_DESCRIPTORS = 64;

    /** Where a command came from: the target, the portal (its group and relative port), the I_T nexus. */
    record Context(IscsiTargetSim sim, SimTarget target, SimPortal portal, String nexus) {
    }

    private ScsiCommands() {
    }

    static CompletableFuture<SimResponse> execute(Context c, int lunNumber, byte[] cdb, ByteBuf dataOut) {
        long alloc = allocationLength(cdb);
        CompletableFuture<SimResponse> f = execute0(c, lunNumber, cdb, dataOut);
        return alloc < 0 ? f : f.thenApply(r -> r.truncated(alloc));
    }

    /** The ALLOCATION LENGTH field of data-in commands that have one, else -1. */
    static long allocationLength(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return switch (op) {
            case Cdb.INQUIRY -> u16(cdb, 3);
            case Cdb.MODE_SENSE_6, Cdb.REQUEST_SENSE -> cdb[4] & 0xff;
            case Cdb.MODE_SENSE_10, Cdb.PERSISTENT_RESERVE_IN -> u16(cdb, 7);
            case Cdb.REPORT_LUNS, Cdb.MAINTENANCE_IN -> u32(cdb, 6);
            case Cdb.SERVICE_ACTION_IN_16 -> u32(cdb, 10);
            default -> -1;
        };
    }

    /** RDPROTECT/WRPROTECT/VRPROTECT: protection information is not supported, so they must be zero. */
    private static boolean protectBits(int op, byte[] cdb) {
        return switch (op) {
            case Cdb.READ_10, Cdb.READ_12, Cdb.READ_16, Cdb.WRITE_10, Cdb.WRITE_12, Cdb.WRITE_16, Cdb.VERIFY_10,
                 Cdb.VERIFY_12, Cdb.VERIFY_16, Cdb.WRITE_VERIFY_10, Cdb.WRITE_VERIFY_12, Cdb.WRITE_VERIFY_16,
                 Cdb.WRITE_SAME_10, Cdb.WRITE_SAME_16, Cdb.COMPARE_AND_WRITE -> (cdb[1] & 0xe0) != 0;
            default -> false;
        };
    }

    private static CompletableFuture<SimResponse> execute0(Context c, int lunNumber, byte[] cdb, ByteBuf dataOut) {
        int op = cdb[0] & 0xff;
        SimLun lun = c.target().lun(lunNumber);
        if (op == Cdb.INQUIRY) {
            return done(inquiry(c, lun, cdb));
        }
        if (op == Cdb.REPORT_LUNS) {
            return done(reportLuns(c, cdb));
        }
        if (op == Cdb.REQUEST_SENSE) {
            ByteBuf b = Unpooled.buffer(18);
            Sense.of(SenseKey.NO_SENSE, 0, 0).writeFixed(b);
            return done(SimResponse.good(b));
        }
        if (lun == null) {
            return done(SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x25, 0x00));
        }
        Sense ua = c.nexus() == null ? null : lun.takeUnitAttention(c.nexus());
        if (ua != null) {
            return done(SimResponse.check(ua));
        }
        AluaState state = c.portal().group().state();
        SimResponse gate = aluaGate(state, op, cdb);
        if (gate != null) {
            return done(gate);
        }
        if (op == Cdb.MAINTENANCE_IN && (cdb[1] & 0x1f) == Cdb.MI_REPORT_TARGET_PORT_GROUPS) {
            return done(reportTargetPortGroups(c, cdb));
        }
        if (op == Cdb.MAINTENANCE_OUT && (cdb[1] & 0x1f) == Cdb.MO_SET_TARGET_PORT_GROUPS) {
            return done(setTargetPortGroups(c, dataOut));
        }
        Sense injected = c.portal().fault().sense();
        if (injected != null) {
            return done(SimResponse.check(injected));
        }
        if (protectBits(op, cdb)) {
            return done(SimResponse.invalidField());
        }
        if (!Reservations6.allows(lun, c.nexus(), op)) {
            return done(SimResponse.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        return switch (op) {
            case Cdb.TEST_UNIT_READY, Cdb.START_STOP_UNIT, Cdb.PREVENT_ALLOW -> done(SimResponse.good());
            case Cdb.RESERVE_6 -> done(Reservations6.reserve(lun, c.nexus()));
            case Cdb.RELEASE_6 -> done(Reservations6.release(lun, c.nexus()));
            case Cdb.READ_CAPACITY_10 -> done(readCapacity10(lun));
            case Cdb.SERVICE_ACTION_IN_16 -> switch (cdb[1] & 0x1f) {
                case Cdb.SAI_READ_CAPACITY_16 -> done(readCapacity16(lun, cdb));
                case Cdb.SAI_GET_LBA_STATUS -> getLbaStatus(lun, cdb);
                default -> done(SimResponse.invalidField());
            };
            case Cdb.MODE_SENSE_6 -> done(modeSense(lun, cdb, false));
            case Cdb.MODE_SENSE_10 -> done(modeSense(lun, cdb, true));
            case Cdb.READ_6, Cdb.READ_10, Cdb.READ_12, Cdb.READ_16 -> read(c, lun, cdb);
            case Cdb.WRITE_6, Cdb.WRITE_10, Cdb.WRITE_12, Cdb.WRITE_16, Cdb.WRITE_VERIFY_10, Cdb.WRITE_VERIFY_12,
                 Cdb.WRITE_VERIFY_16 -> write(c, lun, cdb, dataOut);
            case Cdb.VERIFY_10, Cdb.VERIFY_12, Cdb.VERIFY_16 -> verify(c, lun, cdb, dataOut);
            case Cdb.SYNCHRONIZE_CACHE_10, Cdb.SYNCHRONIZE_CACHE_16 -> synchronizeCache(lun, cdb);
            case Cdb.PREFETCH_10, Cdb.PREFETCH_16 -> done(prefetch(lun, cdb));
            case Cdb.WRITE_SAME_10, Cdb.WRITE_SAME_16 -> writeSame(c, lun, cdb, dataOut);
            case Cdb.UNMAP -> unmap(c, lun, cdb, dataOut);
            case Cdb.COMPARE_AND_WRITE -> compareAndWrite(c, lun, cdb, dataOut);
            case Cdb.PERSISTENT_RESERVE_IN -> done(PersistentReservations.in(lun, cdb));
            case Cdb.PERSISTENT_RESERVE_OUT -> done(PersistentReservations.out(lun, c.nexus(), cdb, dataOut));
            default -> done(SimResponse.invalidOpcode());
        };
    }

    private static CompletableFuture<SimResponse> done(SimResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    // ---- ALUA ----

    /** SPC-4 5.16.2: which commands each asymmetric access state admits. */
    static SimResponse aluaGate(AluaState state, int op, byte[] cdb) {
        boolean always = op == Cdb.INQUIRY || op == Cdb.REPORT_LUNS || op == Cdb.REQUEST_SENSE
                || (op == Cdb.MAINTENANCE_IN && (cdb[1] & 0x1f) == Cdb.MI_REPORT_TARGET_PORT_GROUPS);
        boolean stpg = op == Cdb.MAINTENANCE_OUT && (cdb[1] & 0x1f) == Cdb.MO_SET_TARGET_PORT_GROUPS;
        boolean standbyOk = always || stpg || op == Cdb.MODE_SENSE_6 || op == Cdb.MODE_SENSE_10
                || op == Cdb.PERSISTENT_RESERVE_IN || op == Cdb.PERSISTENT_RESERVE_OUT;
        return switch (state) {
            case ACTIVE_OPTIMIZED, ACTIVE_NON_OPTIMIZED, LBA_DEPENDENT -> null;
            case STANDBY -> standbyOk ? null : SimResponse.check(SenseKey.NOT_READY, 0x04, 0x0b);
            case UNAVAILABLE -> always || stpg ? null : SimResponse.check(SenseKey.NOT_READY, 0x04, 0x0c);
            case TRANSITIONING -> always ? null : SimResponse.check(SenseKey.NOT_READY, 0x04, 0x0a);
            case OFFLINE -> always ? null : SimResponse.check(SenseKey.NOT_READY, 0x04, 0x12);
        };
    }

    private static SimResponse reportTargetPortGroups(Context c, byte[] cdb) {
        boolean ext = ((cdb[1] >>> 5) & 7) == 1;
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0);
        if (ext) {
            b.writeByte(0x10).writeByte(0).writeShort(0);
        }
        for (PortGroup g : c.sim().groups()) {
            List<SimPortal> ports = c.sim().portals().stream().filter(p -> p.group() == g).toList();
            b.writeByte((g.preferred() ? 0x80 : 0) | g.state().code());
            b.writeByte(TargetPortGroup.SUP_TRANSITIONING | TargetPortGroup.SUP_OFFLINE | TargetPortGroup.SUP_UNAVAILABLE
                    | TargetPortGroup.SUP_STANDBY | TargetPortGroup.SUP_NON_OPTIMIZED | TargetPortGroup.SUP_OPTIMIZED);
            b.writeShort(g.id());
            b.writeByte(0);
            b.writeByte(g.statusCode());
            b.writeByte(0);
            b.writeByte(ports.size());
            for (SimPortal p : ports) {
                b.writeShort(0).writeShort(p.relativePort());
            }
        }
        b.setInt(0, b.readableBytes() - 4);
        return SimResponse.good(b);
    }

    private static SimResponse setTargetPortGroups(Context c, ByteBuf param) {
        if (!c.sim().explicitAlua()) {
            return SimResponse.invalidOpcode();
        }
        int len = param.readableBytes();
        if (len < 4 || (len - 4) % 4 != 0) {
            return SimResponse.invalidParameterList();
        }
        for (int p = param.readerIndex() + 4; p + 4 <= param.writerIndex(); p += 4) {
            int id = param.getUnsignedShort(p + 2);
            AluaState s;
            try {
                s = AluaState.of(param.getByte(p));
            } catch (IllegalArgumentException e) {
                return SimResponse.invalidParameterList();
            }
            if (s == AluaState.TRANSITIONING || s == AluaState.LBA_DEPENDENT || c.sim().group(id) == null) {
                return SimResponse.invalidParameterList();
            }
        }
        for (int p = param.readerIndex() + 4; p + 4 <= param.writerIndex(); p += 4) {
            c.sim().setGroupState(param.getUnsignedShort(p + 2), AluaState.of(param.getByte(p)), true);
        }
        return SimResponse.good();
    }

    // ---- INQUIRY and friends ----

    private static SimResponse inquiry(Context c, SimLun lun, byte[] cdb) {
        boolean evpd = (cdb[1] & 1) != 0;
        int page = cdb[2] & 0xff;
        if ((cdb[1] & 2) != 0 || (!evpd && page != 0)) {
            return SimResponse.invalidField();
        }
        if (!evpd) {
            ByteBuf b = Unpooled.buffer(96);
            b.writeByte(lun == null ? 0x7f : 0x00);
            b.writeByte(0);
            b.writeByte(0x06);
            b.writeByte(0x12);
            b.writeByte(91);
            b.writeByte(c.sim().aluaMode().tpgs << 4);
            b.writeByte(c.sim().portals().size() > 1 ? 0x10 : 0);
            b.writeByte(0x02);
            b.writeBytes(pad("MAPPERD", 8));
            b.writeBytes(pad("target-sim", 16));
            b.writeBytes(pad("0001", 4));
            b.writeZero(22);
            for (int v : new int[]{0x00a0, 0x0960, 0x0460, 0x04c0}) {
                b.writeShort(v);
            }
            b.writeZero(96 - b.writerIndex());
            return SimResponse.good(b);
        }
        if (lun == null) {
            return SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x25, 0x00);
        }
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0).writeByte(page).writeShort(0);
        switch (page) {
            case 0x00 -> {
                for (int p : new int[]{0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2}) {
                    b.writeByte(p);
                }
            }
            case 0x80 -> b.writeBytes(lun.serial().getBytes(StandardCharsets.US_ASCII));
            case 0x83 -> deviceIdentification(c, lun, b);
            case 0xb0 -> {
                b.writeByte(0);
                b.writeByte(1);                      // maximum COMPARE AND WRITE length
                b.writeShort(1);                     // optimal transfer length granularity
                b.writeInt(MAX_TRANSFER_BLOCKS);     // maximum transfer length
                b.writeInt(128);                     // optimal transfer length
                b.writeInt(0);                       // maximum prefetch length
                b.writeInt(MAX_UNMAP_BLOCKS);        // maximum unmap LBA count
                b.writeInt(MAX_UNMAP_DESCRIPTORS);   // maximum unmap block descriptor count
                b.writeInt(1);                       // optimal unmap granularity
                b.writeInt(0);                       // unmap granularity alignment
                b.writeLong(MAX_UNMAP_BLOCKS);       // maximum WRITE SAME length
                b.writeZero(64 - b.writerIndex());
            }
            case 0xb1 -> {
                b.writeShort(1);                     // non-rotating medium
                b.writeZero(64 - b.writerIndex());
            }
            case 0xb2 -> {
                b.writeByte(0);
                b.writeByte(0x80 | 0x40 | 0x20 | 0x04); // LBPU, LBPWS, LBPWS10, LBPRZ
                b.writeByte(0x02);                      // thin provisioned
                b.writeByte(0);
            }
            default -> {
                b.release();
                return SimResponse.invalidField();
            }
        }
        b.setShort(2, b.writerIndex() - 4);
        return SimResponse.good(b);
    }

    private static void deviceIdentification(Context c, SimLun lun, ByteBuf b) {
        byte[] naa = lun.naa();
        designator(b, 0, 1, false, Designator.ASSOC_LOGICAL_UNIT, Designator.TYPE_NAA, naa);
        byte[] t10 = ("MAPPERD " + lun.serial()).getBytes(StandardCharsets.US_ASCII);
        designator(b, 0, 2, false, Designator.ASSOC_LOGICAL_UNIT, Designator.TYPE_T10, t10);
        designator(b, 5, 1, true, Designator.ASSOC_TARGET_PORT, Designator.TYPE_RELATIVE_PORT,
                new byte[]{0, 0, (byte) (c.portal().relativePort() >>> 8), (byte) c.portal().relativePort()});
        int g = c.portal().group().id();
        designator(b, 5, 1, true, Designator.ASSOC_TARGET_PORT, Designator.TYPE_TARGET_PORT_GROUP,
                new byte[]{0, 0, (byte) (g >>> 8), (byte) g});
        designator(b, 5, 3, true, Designator.ASSOC_TARGET_PORT, Designator.TYPE_SCSI_NAME,
                nameString(c.target().iqn() + ",t,0x" + String.format("%04x", c.portal().tpgt())));
        designator(b, 5, 3, true, Designator.ASSOC_TARGET_DEVICE, Designator.TYPE_SCSI_NAME, nameString(c.target().iqn()));
    }

    private static byte[] nameString(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        int len = (raw.length + 1 + 3) & ~3;
        byte[] out = new byte[len];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    private static void designator(ByteBuf b, int protocol, int codeSet, boolean piv, int assoc, int type, byte[] value) {
        b.writeByte((protocol << 4) | codeSet);
        b.writeByte((piv ? 0x80 : 0) | (assoc << 4) | type);
        b.writeByte(0);
        b.writeByte(value.length);
        b.writeBytes(value);
    }

    private static byte[] pad(String s, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] raw = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(raw, 0, out, 0, Math.min(n, raw.length));
        return out;
    }

    private static SimResponse reportLuns(Context c, byte[] cdb) {
        int select = cdb[2] & 0xff;
        if (select > 2 && select != 0x10 && select != 0x11 && select != 0x12) {
            return SimResponse.invalidField();
        }
        long alloc = u32(cdb, 6);
        if (alloc < 16) {
            return SimResponse.invalidField();
        }
        List<SimLun> luns = c.target().luns();
        ByteBuf b = Unpooled.buffer();
        b.writeInt(8 * luns.size()).writeInt(0);
        for (SimLun l : luns) {
            b.writeLong(Lun.encode(l.id()));
        }
        return SimResponse.good(b);
    }

    private static SimResponse readCapacity10(SimLun lun) {
        ByteBuf b = Unpooled.buffer(8);
        long last = lun.blocks() - 1;
        b.writeInt((int) Math.min(last, 0xffffffffL)).writeInt(lun.blockSize());
        return SimResponse.good(b);
    }

    private static SimResponse readCapacity16(SimLun lun, byte[] cdb) {
        ByteBuf b = Unpooled.buffer(32);
        b.writeLong(lun.blocks() - 1).writeInt(lun.blockSize());
        b.writeByte(0).writeByte(0).writeByte(0x80 | 0x40).writeByte(0);
        b.writeZero(16);
        return SimResponse.good(b);
    }

    private static SimResponse modeSense(SimLun lun, byte[] cdb, boolean ten) {
        boolean dbd = (cdb[1] & 0x08) != 0;
        int pc = (cdb[2] & 0xff) >>> 6;
        int page = cdb[2] & 0x3f;
        int subpage = cdb[3] & 0xff;
        if (pc == 3) {
            return SimResponse.check(SenseKey.ILLEGAL_REQUEST, 0x39, 0x00); // saving parameters not supported
        }
        if (subpage != 0 && subpage != 0xff) {
            return SimResponse.invalidField();
        }
        ByteBuf pages = Unpooled.buffer();
        boolean all = page == 0x3f;
        if (all || page == 0x08) {
            pages.writeByte(0x08).writeByte(0x12).writeByte(pc == 1 ? 0x04 : 0x04).writeZero(17);
        }
        if (all || page == 0x0a) {
            pages.writeByte(0x0a).writeByte(0x0a).writeByte(0x02).writeByte(0x10).writeZero(8);
        }
        if (all || page == 0x1c) {
            pages.writeByte(0x1c).writeByte(0x0a).writeZero(10);
        }
        if (pages.readableBytes() == 0) {
            return SimResponse.invalidField();
        }
        ByteBuf b = Unpooled.buffer();
        int bdl = dbd ? 0 : 8;
        if (ten) {
            b.writeShort(0).writeByte(0).writeByte(0x10).writeShort(0).writeShort(bdl);
        } else {
            b.writeByte(0).writeByte(0).writeByte(0x10).writeByte(bdl);
        }
        if (!dbd) {
            long blocks = Math.min(lun.blocks(), 0xffffff);
            b.writeByte(0).writeMedium((int) blocks).writeByte(0).writeMedium(lun.blockSize());
        }
        b.writeBytes(pages);
        if (ten) {
            b.setShort(0, b.readableBytes() - 2);
        } else {
            b.setByte(0, b.readableBytes() - 1);
        }
        return SimResponse.good(b);
    }

    // ---- media access ----

    /** LBA and block count of a read/write/verify CDB. */
    record Range(long lba, long blocks, boolean fua) {
    }

    static Range range(byte[] cdb) {
        int op = cdb[0] & 0xff;
        return switch (op) {
            case Cdb.READ_6, Cdb.WRITE_6 -> {
                long lba = ((cdb[1] & 0x1f) << 16) | ((cdb[2] & 0xff) << 8) | (cdb[3] & 0xff);
                int n = cdb[4] & 0xff;
                yield new Range(lba, n == 0 ? 256 : n, false);
            }
            case Cdb.READ_10, Cdb.WRITE_10, Cdb.VERIFY_10, Cdb.WRITE_VERIFY_10, Cdb.SYNCHRONIZE_CACHE_10,
                 Cdb.PREFETCH_10, Cdb.WRITE_SAME_10 -> new Range(u32(cdb, 2), u16(cdb, 7), (cdb[1] & 0x08) != 0);
            case Cdb.READ_12, Cdb.WRITE_12, Cdb.VERIFY_12, Cdb.WRITE_VERIFY_12 ->
                    new Range(u32(cdb, 2), u32(cdb, 6), (cdb[1] & 0x08) != 0);
            case Cdb.COMPARE_AND_WRITE -> new Range(u64(cdb, 2), cdb[13] & 0xff, (cdb[1] & 0x08) != 0);
            default -> new Range(u64(cdb, 2), u32(cdb, 10), (cdb[1] & 0x08) != 0);
        };
    }

    private static SimResponse checkRange(SimLun lun, Range r) {
        if (r.lba() < 0 || r.lba() + r.blocks() > lun.blocks() || r.lba() > lun.blocks()) {
            return SimResponse.lbaOutOfRange();
        }
        return null;
    }

    private static long sector(SimLun lun, long lba) {
        return lba * lun.blockSize() >>> Bio.SECTOR_SHIFT;
    }

    private static CompletableFuture<SimResponse> read(Context c, SimLun lun, byte[] cdb) {
        Range r = range(cdb);
        SimResponse bad = checkRange(lun, r);
        if (bad != null) {
            return done(bad);
        }
        if (!PersistentReservations.allows(lun, c.nexus(), false)) {
            return done(SimResponse.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        if (r.blocks() > MAX_TRANSFER_BLOCKS * 8L) {
            return done(SimResponse.invalidField());
        }
        int n = (int) (r.blocks() * lun.blockSize());
        if (n == 0) {
            return done(SimResponse.good());
        }
        ByteBuf buf = ALLOC.directBuffer(n);
        ByteBuffer nio = buf.nioBuffer(0, n);
        return lun.device().submit(Bio.read(sector(lun, r.lba()), nio)).handle((v, e) -> {
            if (e != null) {
                buf.release();
                return mediumError(r.lba());
            }
            buf.writerIndex(n);
            return SimResponse.good(buf);
        });
    }

    private static SimResponse mediumError(long lba) {
        return SimResponse.check(new Sense(SenseKey.MEDIUM_ERROR, 0x11, 0x00, false, false, OptionalLong.of(lba)));
    }

    private static CompletableFuture<SimResponse> write(Context c, SimLun lun, byte[] cdb, ByteBuf data) {
        Range r = range(cdb);
        SimResponse bad = checkRange(lun, r);
        if (bad != null) {
            return done(bad);
        }
        if (!PersistentReservations.allows(lun, c.nexus(), true)) {
            return done(SimResponse.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        long n = r.blocks() * lun.blockSize();
        if (n == 0) {
            return done(SimResponse.good());
        }
        if (n > MAX_TRANSFER_BLOCKS * 8L * lun.blockSize()) {
            return done(SimResponse.invalidField());
        }
        ByteBuffer nio;
        ByteBuf padded = null;
        long tl = n;
        if (data.readableBytes() < n) {
            // Less Data-Out than the CDB asks for (EDTL < transfer length): write only the blocks the data
            // reaches, the last one completed with zeroes; blocks beyond stay as they were.
            int have = data.readableBytes();
            n = ((long) have + lun.blockSize() - 1) / lun.blockSize() * lun.blockSize();
            if (n == 0) {
                return done(SimResponse.wrote((int) tl));
            }
            padded = ALLOC.directBuffer((int) n);
            padded.writeBytes(data, data.readerIndex(), have).writeZero((int) n - have);
            nio = padded.nioBuffer(0, (int) n);
        } else {
            nio = data.nioBuffer(data.readerIndex(), (int) n);
        }
        long transfer = tl;
        ByteBuf toRelease = padded;
        return lun.device().submit(Bio.write(sector(lun, r.lba()), nio, r.fua() ? Bio.FUA : 0)).handle((v, e) -> {
            if (toRelease != null) {
                toRelease.release();
            }
            return e != null ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.wrote((int) transfer);
        });
    }

    private static CompletableFuture<SimResponse> verify(Context c, SimLun lun, byte[] cdb, ByteBuf data) {
        Range r = range(cdb);
        SimResponse bad = checkRange(lun, r);
        if (bad != null) {
            return done(bad);
        }
        int bytchk = (cdb[1] >>> 1) & 3;
        if (bytchk == 0 || r.blocks() == 0) {
            return done(SimResponse.good());
        }
        if (bytchk != 1) {
            return done(SimResponse.invalidField());
        }
        int n = (int) (r.blocks() * lun.blockSize());
        if (data.readableBytes() < n) {
            return done(SimResponse.invalidField());
        }
        return compare(lun, r.lba(), data.slice(data.readerIndex(), n));
    }

    /** Reads the range and compares it with {@code expected}: GOOD or MISCOMPARE at the first differing byte. */
    private static CompletableFuture<SimResponse> compare(SimLun lun, long lba, ByteBuf expected) {
        int n = expected.readableBytes();
        ByteBuf buf = ALLOC.directBuffer(n);
        return lun.device().submit(Bio.read(sector(lun, lba), buf.nioBuffer(0, n))).handle((v, e) -> {
            try {
                if (e != null) {
                    return mediumError(lba);
                }
                buf.writerIndex(n);
                for (int i = 0; i < n; i++) {
                    if (buf.getByte(i) != expected.getByte(expected.readerIndex() + i)) {
                        return SimResponse.check(new Sense(SenseKey.MISCOMPARE, 0x1d, 0x00, false, false, OptionalLong.of(i)));
                    }
                }
                return null;
            } finally {
                buf.release();
            }
        }).thenApply(res -> res == null ? SimResponse.good() : res);
    }

    private static CompletableFuture<SimResponse> compareAndWrite(Context c, SimLun lun, byte[] cdb, ByteBuf data) {
        Range r = range(cdb);
        SimResponse bad = checkRange(lun, r);
        if (bad != null) {
            return done(bad);
        }
        if (r.blocks() > 1) {
            return done(SimResponse.invalidField());
        }
        int n = (int) (r.blocks() * lun.blockSize());
        if (n == 0 && data.readableBytes() == 0) {
            return done(SimResponse.good());
        }
        if (n == 0 || data.readableBytes() != 2 * n) {
            return done(SimResponse.invalidField());
        }
        ByteBuffer nio = data.nioBuffer(data.readerIndex() + n, n);
        return compare(lun, r.lba(), data.slice(data.readerIndex(), n)).thenCompose(cmp -> cmp.status() != ScsiStatus.GOOD
                ? done(cmp)
                : lun.device().submit(Bio.write(sector(lun, r.lba()), nio, r.fua() ? Bio.FUA : 0))
                        .handle((v, e) -> e != null ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.good()));
    }

    private static CompletableFuture<SimResponse> synchronizeCache(SimLun lun, byte[] cdb) {
        Range r = range(cdb);
        if (r.lba() + r.blocks() > lun.blocks()) {
            return done(SimResponse.lbaOutOfRange());
        }
        return lun.device().submit(Bio.flush()).handle((v, e) -> e != null
                ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.good());
    }

    private static SimResponse prefetch(SimLun lun, byte[] cdb) {
        Range r = range(cdb);
        SimResponse bad = checkRange(lun, r);
        return bad != null ? bad : SimResponse.status(ScsiStatus.CONDITION_MET);
    }

    private static CompletableFuture<SimResponse> writeSame(Context c, SimLun lun, byte[] cdb, ByteBuf data) {
        Range r = range(cdb);
        boolean unmap = (cdb[1] & 0x08) != 0;
        boolean ndob = (cdb[0] & 0xff) == Cdb.WRITE_SAME_16 && (cdb[1] & 0x01) != 0;
        if ((cdb[1] & 0x10) != 0) {
            return done(SimResponse.invalidField()); // ANCHOR
        }
        long blocks = r.blocks() == 0 ? lun.blocks() - r.lba() : r.blocks();
        Range full = new Range(r.lba(), blocks, false);
        SimResponse bad = checkRange(lun, full);
        if (bad != null) {
            return done(bad);
        }
        if (blocks > MAX_UNMAP_BLOCKS) {
            return done(SimResponse.invalidField());
        }
        if (!PersistentReservations.allows(lun, c.nexus(), true)) {
            return done(SimResponse.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        int bs = lun.blockSize();
        boolean zero = ndob;
        if (!ndob) {
            if (data.readableBytes() < bs) {
                return done(SimResponse.invalidField());
            }
            zero = true;
            for (int i = 0; i < bs; i++) {
                if (data.getByte(data.readerIndex() + i) != 0) {
                    zero = false;
                    break;
                }
            }
        }
        long sector = sector(lun, r.lba());
        long bytes = blocks * bs;
        if (zero || unmap) {
            // With UNMAP the blocks are deallocated whatever the data; LBPRZ says they then read zero.
            Bio bio = unmap ? Bio.discard(sector, bytes) : Bio.writeZeroes(sector, bytes, Bio.NOUNMAP);
            return lun.device().submit(bio).handle((v, e) -> e != null
                    ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.good());
        }
        int chunkBlocks = Math.max(1, (1 << 20) / bs);
        ByteBuf pattern = ALLOC.directBuffer(chunkBlocks * bs);
        for (int i = 0; i < chunkBlocks; i++) {
            pattern.writeBytes(data, data.readerIndex(), bs);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (long done = 0; done < blocks; done += chunkBlocks) {
            long at = sector + (done * bs >>> Bio.SECTOR_SHIFT);
            int n = (int) Math.min(chunkBlocks, blocks - done) * bs;
            chain = chain.thenCompose(v -> lun.device().submit(Bio.write(at, pattern.nioBuffer(0, n), 0)));
        }
        return chain.handle((v, e) -> {
            pattern.release();
            return e != null ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.good();
        });
    }

    private static CompletableFuture<SimResponse> unmap(Context c, SimLun lun, byte[] cdb, ByteBuf p) {
        if ((cdb[1] & 0x01) != 0) {
            return done(SimResponse.invalidField()); // ANCHOR
        }
        if (!PersistentReservations.allows(lun, c.nexus(), true)) {
            return done(SimResponse.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        int len = p.readableBytes();
        if (len == 0) {
            return done(SimResponse.good());
        }
        if (len < 8) {
            return done(SimResponse.invalidParameterList());
        }
        int base = p.readerIndex();
        int descLen = Math.min(p.getUnsignedShort(base + 2), len - 8) & ~15;
        if (descLen / 16 > MAX_UNMAP_DESCRIPTORS) {
            return done(SimResponse.invalidParameterList());
        }
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (int d = 0; d < descLen; d += 16) {
            long lba = p.getLong(base + 8 + d);
            long n = p.getUnsignedInt(base + 16 + d);
            if (lba + n > lun.blocks() || lba < 0) {
                return done(SimResponse.lbaOutOfRange());
            }
            if (n > MAX_UNMAP_BLOCKS) {
                return done(SimResponse.invalidParameterList());
            }
            if (n > 0) {
                Bio bio = Bio.discard(sector(lun, lba), n * lun.blockSize());
                all = all.thenCompose(v -> lun.device().submit(bio));
            }
        }
        return all.handle((v, e) -> e != null ? SimResponse.check(SenseKey.MEDIUM_ERROR, 0x0c, 0x00) : SimResponse.good());
    }

    private static CompletableFuture<SimResponse> getLbaStatus(SimLun lun, byte[] cdb) {
        long lba = u64(cdb, 2);
        long alloc = u32(cdb, 10);
        if (lba < 0 || lba >= lun.blocks()) {
            return done(SimResponse.lbaOutOfRange());
        }
        if (alloc < 24) {
            return done(SimResponse.good(Unpooled.buffer(8).writeInt(20).writeInt(0)));
        }
        int bs = lun.blockSize();
        long sectorsLeft = (lun.blocks() - lba) * bs >>> Bio.SECTOR_SHIFT;
        return lun.device().blockStatus(sector(lun, lba), sectorsLeft).handle((extents, e) -> {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(0).writeInt(0);
            long at = lba;
            List<Extent> list = e != null ? List.of(Extent.data(sectorsLeft)) : extents;
            for (Extent x : list) {
                long blocks = (x.sectors() << Bio.SECTOR_SHIFT) / bs;
                if (blocks == 0) {
                    break;
                }
                b.writeLong(at).writeInt((int) Math.min(blocks, 0xffffffffL)).writeByte(x.hole() ? 1 : 0).writeZero(3);
                at += blocks;
                if (b.readableBytes() + 16 > alloc) {
                    break;
                }
            }
            b.setInt(0, b.readableBytes() - 4);
            return SimResponse.good(b);
        });
    }

    static long u16(byte[] c, int at) {
        return ((c[at] & 0xff) << 8) | (c[at + 1] & 0xff);
    }

    static long u32(byte[] c, int at) {
        return (u16(c, at) << 16) | u16(c, at + 2);
    }

    static long u64(byte[] c, int at) {
        return (u32(c, at) << 32) | u32(c, at + 4);
    }
}
