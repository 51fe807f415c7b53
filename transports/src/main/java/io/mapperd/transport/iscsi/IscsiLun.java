package io.mapperd.transport.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.BlockLimits;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.LogicalBlockProvisioning;
import io.mapperd.transport.iscsi.scsi.PersistentReservation;
import io.mapperd.transport.iscsi.scsi.ReadCapacity;
import io.mapperd.transport.iscsi.scsi.ReportLuns;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.StandardInquiry;
import io.mapperd.transport.iscsi.scsi.TargetPortGroups;
import io.mapperd.transport.iscsi.scsi.Vpd;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A logical unit behind an iSCSI session, as a BlockDevice (a path for multipath) and as the probes
 * checkers, prioritizers and hardware handlers use: TEST UNIT READY, INQUIRY and VPD pages, READ
 * CAPACITY(16), REPORT/SET TARGET PORT GROUPS, persistent reservations, and a NOP ping. Bio failures
 * carry the status that tells a path failure (TRANSPORT, TIMEOUT, ALUA states) from a data error
 * (MEDIUM, TARGET, NOTSUPP).
 */
public final class IscsiLun implements BlockDevice {
    /** UNIT ATTENTION is retried this many times before it is reported (the kernel does likewise). */
    private static final int UA_RETRIES = 3;
    private static final int MAX_TRANSFER_BYTES = 8 << 20;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final IscsiSession session;
    private final int lun;
    private final String name;
    private final DevT devT;
    private final boolean readOnly;
    private final StandardInquiry inquiry;
    private final ReadCapacity capacity;
    private final BlockLimits limits;
    private final LogicalBlockProvisioning provisioning;
    private final int maxTransferBytes;

    private IscsiLun(IscsiSession session, int lun, String name, DevT devT, boolean readOnly, StandardInquiry inquiry,
                     ReadCapacity capacity, BlockLimits limits, LogicalBlockProvisioning provisioning) {
        this.session = session;
        this.lun = lun;
        this.name = name;
        this.devT = devT;
        this.readOnly = readOnly;
        this.inquiry = inquiry;
        this.capacity = capacity;
        this.limits = limits;
        this.provisioning = provisioning;
        int max = MAX_TRANSFER_BYTES;
        if (limits != null && limits.maxTransferLength() > 0) {
            max = (int) Math.min(max, limits.maxTransferLength() * capacity.blockLength());
        }
        this.maxTransferBytes = Math.max(capacity.blockLength(), max);
    }

    /** Probes the LUN (INQUIRY, READ CAPACITY(16), VPD 0xB0/0xB2 when offered) and wraps it. */
    public static CompletableFuture<IscsiLun> open(IscsiSession session, int lun, String name, DevT devT, boolean readOnly) {
        Probe p = new Probe(session, lun);
        return p.inquiry().thenCompose(inq -> {
            if (inq.peripheralQualifier() != 0) {
                throw new BioException(BlkStatus.OFFLINE, name + ": no logical unit " + lun + " (peripheral qualifier "
                        + inq.peripheralQualifier() + ")");
            }
            return p.readCapacity16().thenCompose(cap -> p.vpd(Vpd.SUPPORTED_PAGES).thenApply(Vpd::supportedPages)
                    .exceptionally(e -> List.of())
                    .thenCompose(pages -> {
                        CompletableFuture<BlockLimits> bl = pages.contains(BlockLimits.PAGE)
                                ? p.vpd(BlockLimits.PAGE).thenApply(BlockLimits::decode).exceptionally(e -> null)
                                : CompletableFuture.completedFuture(null);
                        CompletableFuture<LogicalBlockProvisioning> lbp = pages.contains(LogicalBlockProvisioning.PAGE)
                                ? p.vpd(LogicalBlockProvisioning.PAGE).thenApply(LogicalBlockProvisioning::decode).exceptionally(e -> null)
                                : CompletableFuture.completedFuture(null);
                        return bl.thenCombine(lbp, (b, l) -> new IscsiLun(session, lun, name, devT, readOnly, inq, cap, b, l));
                    }));
        });
    }

    public IscsiSession session() {
        return session;
    }

    public int lun() {
        return lun;
    }

    public StandardInquiry standardInquiry() {
        return inquiry;
    }

    public ReadCapacity capacity() {
        return capacity;
    }

    public BlockLimits blockLimits() {
        return limits;
    }

    public LogicalBlockProvisioning provisioning() {
        return provisioning;
    }

    // ---- BlockDevice ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public DevT devT() {
        return devT;
    }

    @Override
    public long sizeSectors() {
        return capacity.bytes() >>> Bio.SECTOR_SHIFT;
    }

    @Override
    public int logicalBlockSize() {
        return capacity.blockLength();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean supportsDiscard() {
        return provisioning != null && provisioning.lbpu() && capacity.lbpme();
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        boolean ff = bio.has(Bio.FAILFAST_TRANSPORT);
        if (ff && session.state() == IscsiSession.State.RECOVERING) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.TRANSPORT, name + ": session reconnecting"));
        }
        try {
            return switch (bio.op()) {
                case READ -> rw(bio, false, ff);
                case WRITE -> bio.has(Bio.PREFLUSH)
                        ? flush(ff).thenCompose(v -> rw(bio, bio.has(Bio.FUA), ff))
                        : rw(bio, bio.has(Bio.FUA), ff);
                case FLUSH -> flush(ff);
                case DISCARD -> discard(bio);
                case WRITE_ZEROES -> writeZeroes(bio);
            };
        } catch (BioException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private long lba(Bio bio) {
        long byteOff = bio.sector() << Bio.SECTOR_SHIFT;
        int bs = capacity.blockLength();
        if (byteOff % bs != 0 || bio.bytes() % bs != 0) {
            throw new BioException(BlkStatus.IOERR, name + ": " + bio + " is not aligned to the " + bs + "-byte logical block");
        }
        if (bio.endSector() > sizeSectors()) {
            throw new BioException(BlkStatus.IOERR, name + ": " + bio + " goes beyond the end of the device ("
                    + sizeSectors() + " sectors)");
        }
        if (bio.op().isWrite() && bio.op() != io.mapperd.dm.io.BioOp.FLUSH && readOnly) {
            throw new BioException(BlkStatus.TARGET, name + ": device is read-only");
        }
        return byteOff / bs;
    }

    private CompletableFuture<Void> rw(Bio bio, boolean fua, boolean ff) {
        long lba = lba(bio);
        int bs = capacity.blockLength();
        ByteBuffer data = bio.data();
        int len = data.remaining();
        if (len <= maxTransferBytes) {
            return oneRw(bio.op() == io.mapperd.dm.io.BioOp.WRITE, lba, data, fua, ff);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int off = 0; off < len; off += maxTransferBytes) {
            int n = Math.min(maxTransferBytes, len - off);
            ByteBuffer part = data.slice(data.position() + off, n);
            parts.add(oneRw(bio.op() == io.mapperd.dm.io.BioOp.WRITE, lba + off / bs, part, fua, ff));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> oneRw(boolean write, long lba, ByteBuffer data, boolean fua, boolean ff) {
        int blocks = data.remaining() / capacity.blockLength();
        byte[] cdb = write ? Cdb.write16(lba, blocks, fua) : Cdb.read16(lba, blocks);
        return io(cdb, write ? null : data, write ? data : null, ff);
    }

    private CompletableFuture<Void> flush(boolean ff) {
        return io(Cdb.synchronizeCache16(0, 0), null, null, ff);
    }

    private CompletableFuture<Void> discard(Bio bio) {
        if (!supportsDiscard()) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.NOTSUPP, name + ": the target does not offer UNMAP"));
        }
        long lba = lba(bio);
        long blocks = bio.bytes() / capacity.blockLength();
        long perDesc = limits != null && limits.maxUnmapLbaCount() > 0 ? Math.min(limits.maxUnmapLbaCount(), 0xffffffffL) : 0xffffffffL;
        long maxDesc = limits != null && limits.maxUnmapDescriptors() > 0 ? Math.min(limits.maxUnmapDescriptors(), 256) : 256;
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        long at = lba;
        long left = blocks;
        while (left > 0) {
            List<long[]> descs = new ArrayList<>();
            while (left > 0 && descs.size() < maxDesc) {
                long n = Math.min(left, perDesc);
                descs.add(new long[]{at, n});
                at += n;
                left -= n;
            }
            ByteBuffer param = ByteBuffer.allocate(8 + 16 * descs.size());
            param.putShort((short) (6 + 16 * descs.size())).putShort((short) (16 * descs.size())).putInt(0);
            for (long[] d : descs) {
                param.putLong(d[0]).putInt((int) d[1]).putInt(0);
            }
            parts.add(io(Cdb.unmap(descs.size()), null, param.flip(), bio.has(Bio.FAILFAST_TRANSPORT)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> writeZeroes(Bio bio) {
        long lba = lba(bio);
        int bs = capacity.blockLength();
        long blocks = bio.bytes() / bs;
        boolean unmap = !bio.has(Bio.NOUNMAP) && provisioning != null && provisioning.lbprz() && provisioning.lbpws();
        long maxWs = limits != null && limits.maxWriteSameLength() > 0 ? limits.maxWriteSameLength() : 65535;
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long done = 0; done < blocks; ) {
            int n = (int) Math.min(maxWs, blocks - done);
            long at = lba + done;
            ByteBuffer one = ZEROES.slice(0, bs);
            parts.add(new Probe(session, lun, bio.has(Bio.FAILFAST_TRANSPORT)).command(Cdb.writeSame16(at, n, unmap), null, one).thenCompose(r -> {
                if (r.good()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if ((r.condition() == ScsiCondition.INVALID_OPCODE || r.condition() == ScsiCondition.ILLEGAL_REQUEST)
                        && !bio.has(Bio.NOFALLBACK)) {
                    return writeZeroesSlowly(at, (long) n * bs, bio.has(Bio.FAILFAST_TRANSPORT));
                }
                if (r.condition() == ScsiCondition.INVALID_OPCODE || r.condition() == ScsiCondition.ILLEGAL_REQUEST) {
                    return CompletableFuture.failedFuture(new BioException(BlkStatus.NOTSUPP, name + ": " + r.describe()));
                }
                return CompletableFuture.failedFuture(r.toBioException(name));
            }));
            done += n;
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> writeZeroesSlowly(long lba, long bytes, boolean ff) {
        int bs = capacity.blockLength();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long off = 0; off < bytes; off += ZEROES.capacity()) {
            int n = (int) Math.min(ZEROES.capacity(), bytes - off);
            parts.add(io(Cdb.write16(lba + off / bs, n / bs, false), null, ZEROES.slice(0, n), ff));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** A data command: GOOD completes, anything else fails with the status it maps to. */
    private CompletableFuture<Void> io(byte[] cdb, ByteBuffer in, ByteBuffer out, boolean ff) {
        return new Probe(session, lun, ff).command(cdb, in, out).thenApply(r -> {
            if (!r.good()) {
                throw r.toBioException(name);
            }
            return null;
        });
    }

    // ---- probes ----

    /** Any command, UNIT ATTENTION retried; the result carries status and sense. */
    public CompletableFuture<ScsiResult> command(byte[] cdb, ByteBuffer in, ByteBuffer out) {
        return new Probe(session, lun).command(cdb, in, out);
    }

    public CompletableFuture<ScsiResult> testUnitReady() {
        return command(Cdb.testUnitReady(), null, null);
    }

    public CompletableFuture<StandardInquiry> inquiry() {
        return new Probe(session, lun).inquiry();
    }

    /** The raw bytes of a VPD page. */
    public CompletableFuture<ByteBuffer> vpd(int page) {
        return new Probe(session, lun).vpd(page);
    }

    public CompletableFuture<List<Integer>> supportedVpdPages() {
        return vpd(Vpd.SUPPORTED_PAGES).thenApply(Vpd::supportedPages);
    }

    public CompletableFuture<String> unitSerialNumber() {
        return vpd(Vpd.UNIT_SERIAL_NUMBER).thenApply(Vpd::unitSerialNumber);
    }

    public CompletableFuture<DeviceIdentification> deviceIdentification() {
        return vpd(DeviceIdentification.PAGE).thenApply(DeviceIdentification::decode);
    }

    public CompletableFuture<ReadCapacity> readCapacity16() {
        return new Probe(session, lun).readCapacity16();
    }

    public CompletableFuture<TargetPortGroups> reportTargetPortGroups() {
        ByteBuffer in = ByteBuffer.allocate(4096);
        return command(Cdb.reportTargetPortGroups(false, in.capacity()), in, null)
                .thenApply(r -> TargetPortGroups.decode(r.dataOrThrow()));
    }

    /** SET TARGET PORT GROUPS: asks the target to move each listed group to the given state. */
    public CompletableFuture<ScsiResult> setTargetPortGroups(Map<Integer, AluaState> states) {
        ByteBuffer param = ByteBuffer.allocate(4 + 4 * states.size());
        param.putInt(0);
        states.forEach((id, st) -> param.put((byte) st.code()).put((byte) 0).putShort((short) (int) id));
        return command(Cdb.setTargetPortGroups(param.capacity()), null, param.flip());
    }

    public CompletableFuture<List<Integer>> reportLuns() {
        ByteBuffer in = ByteBuffer.allocate(8 + 8 * 256);
        return command(Cdb.reportLuns(in.capacity()), in, null).thenApply(r -> ReportLuns.decode(r.dataOrThrow()));
    }

    public CompletableFuture<PersistentReservation> persistentReserveIn(int serviceAction) {
        ByteBuffer in = ByteBuffer.allocate(1024);
        return command(Cdb.persistentReserveIn(serviceAction, in.capacity()), in, null).thenApply(r ->
                serviceAction == PersistentReservation.READ_KEYS ? PersistentReservation.decodeKeys(r.dataOrThrow())
                        : PersistentReservation.decodeReservation(r.dataOrThrow()));
    }

    /** PERSISTENT RESERVE OUT with the basic parameter list (reservation key, service action key). */
    public CompletableFuture<ScsiResult> persistentReserveOut(int serviceAction, int type, long key, long serviceActionKey) {
        ByteBuffer param = ByteBuffer.allocate(24);
        param.putLong(key).putLong(serviceActionKey).putInt(0).putInt(0).flip();
        return command(Cdb.persistentReserveOut(serviceAction, type), null, param);
    }

    /** A NOP-Out ping on the LUN's session; completes with the round trip in nanoseconds. */
    public CompletableFuture<Long> ping(Duration timeout) {
        return session.ping(timeout);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Probe commands shared by {@link #open} (before the LUN object exists) and the public probes. */
    private record Probe(IscsiSession session, int lun, boolean failfast) {
        Probe(IscsiSession session, int lun) {
            this(session, lun, false);
        }

        CompletableFuture<ScsiResult> command(byte[] cdb, ByteBuffer in, ByteBuffer out) {
            return attempt(cdb, in, out, UA_RETRIES);
        }

        private CompletableFuture<ScsiResult> attempt(byte[] cdb, ByteBuffer in, ByteBuffer out, int left) {
            return session.execute(lun, cdb, in, out, failfast).thenCompose(r -> r.condition() == ScsiCondition.UNIT_ATTENTION && left > 0
                    ? attempt(cdb, in, out, left - 1)
                    : CompletableFuture.completedFuture(r));
        }

        CompletableFuture<StandardInquiry> inquiry() {
            ByteBuffer in = ByteBuffer.allocate(96);
            return command(Cdb.inquiry(false, 0, in.capacity()), in, null)
                    .thenApply(r -> StandardInquiry.decode(r.dataOrThrow()));
        }

        CompletableFuture<ByteBuffer> vpd(int page) {
            ByteBuffer in = ByteBuffer.allocate(4096);
            return command(Cdb.inquiry(true, page, in.capacity()), in, null).thenApply(ScsiResult::dataOrThrow);
        }

        CompletableFuture<ReadCapacity> readCapacity16() {
            ByteBuffer in = ByteBuffer.allocate(32);
            return command(Cdb.readCapacity16(in.capacity()), in, null).thenApply(r -> ReadCapacity.decode(r.dataOrThrow()));
        }
    }
}
