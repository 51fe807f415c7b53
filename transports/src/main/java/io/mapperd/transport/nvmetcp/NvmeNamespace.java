package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.pdu.Cqe;
import io.mapperd.transport.nvmetcp.pdu.Sqe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NVMe namespace reached through one controller: a path, as a block device. Bios become NVM
 * commands (split at the controller's transfer limit); failures carry the block status that tells
 * multipath a path failure (transport, timeout, ANA inaccessible/persistent loss/transition) from
 * a data or command error. The probes checkers and prioritizers use: {@link #anaState()},
 * {@link #anaGroupId()}, {@link #keepAliveHealthy()}, {@link #wwid()}, {@link #ids()}.
 */
public final class NvmeNamespace implements BlockDevice {
    private static final int DSM_MAX_RANGES = 256;
    private static final long DSM_MAX_BLOCKS = 0xFFFFFFFFL;
    private static final int WZ_MAX_BLOCKS = 1 << 16;

    private final NvmeController ctrl;
    private final int nsid;
    private final DevT devT;
    private final String name;
    private final NamespaceIds ids;
    private final String wwid;
    private volatile IdentifyNamespace id;
    private volatile int shift;

    NvmeNamespace(NvmeController ctrl, int nsid, DevT devT, IdentifyNamespace id, NamespaceIds ids) {
        this.ctrl = ctrl;
        this.nsid = nsid;
        this.devT = devT;
        this.name = ctrl.name() + "/" + nsid;
        this.ids = ids;
        this.wwid = Wwid.of(ctrl.identify(), nsid, ids);
        refresh(id);
    }

    void refresh(IdentifyNamespace fresh) {
        int bs = fresh.blockSize();
        if (bs < Bio.SECTOR_SIZE || Integer.bitCount(bs) != 1) {
            throw new IllegalStateException(name + ": logical block size " + bs + " is not a power of two of at least 512");
        }
        this.id = fresh;
        this.shift = Integer.numberOfTrailingZeros(bs);
    }

    // ---- probes ----

    public NvmeController controller() {
        return ctrl;
    }

    public int nsid() {
        return nsid;
    }

    public IdentifyNamespace identify() {
        return id;
    }

    public NamespaceIds ids() {
        return ids;
    }

    /** As /sys/block/nvmeXnY/wwid. */
    public String wwid() {
        return wwid;
    }

    public int anaGroupId() {
        return id.anagrpid();
    }

    /** The ANA state of this namespace's group through this controller's port, if it reports ANA. */
    public Optional<AnaState> anaState() {
        return ctrl.anaLog().flatMap(l -> l.group(id.anagrpid())).map(AnaGroup::state);
    }

    public boolean keepAliveHealthy() {
        return ctrl.keepAliveHealthy();
    }

    public ControllerState controllerState() {
        return ctrl.state();
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
        return id.nsze() << (shift - Bio.SECTOR_SHIFT);
    }

    @Override
    public int logicalBlockSize() {
        return 1 << shift;
    }

    @Override
    public boolean supportsFlush() {
        return true;
    }

    @Override
    public boolean supportsDiscard() {
        IdentifyController c = ctrl.identify();
        return c != null && (c.oncs() & IdentifyController.ONCS_DSM) != 0;
    }

    @Override
    public boolean supportsWriteZeroes() {
        IdentifyController c = ctrl.identify();
        return c != null && (c.oncs() & IdentifyController.ONCS_WRITE_ZEROES) != 0;
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        int bs = 1 << shift;
        if (bio.op() != io.mapperd.dm.io.BioOp.FLUSH && (((bio.sector() << Bio.SECTOR_SHIFT) | bio.bytes()) & (bs - 1)) != 0) {
            return failed(BlkStatus.NOTSUPP, bio + " is not aligned to the " + bs + "-byte logical block size");
        }
        if (bio.endSector() > sizeSectors()) {
            return failed(BlkStatus.IOERR, bio + " beyond the end of the namespace (" + sizeSectors() + " sectors)");
        }
        CompletableFuture<Void> body = switch (bio.op()) {
            case READ -> transfer(bio, false);
            case WRITE -> transfer(bio, true);
            case FLUSH -> flush();
            case DISCARD -> supportsDiscard() ? discard(bio) : failed(BlkStatus.NOTSUPP, name + ": discard (Dataset Management) not supported");
            case WRITE_ZEROES -> supportsWriteZeroes() ? writeZeroes(bio) : failed(BlkStatus.NOTSUPP, name + ": Write Zeroes not supported");
        };
        if (bio.has(Bio.PREFLUSH) && bio.op() != io.mapperd.dm.io.BioOp.FLUSH) {
            return flush().thenCompose(v -> body);
        }
        return body;
    }

    private CompletableFuture<Void> transfer(Bio bio, boolean write) {
        long bytes = bio.bytes();
        if (bytes == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int max = ctrl.maxTransferBytes() & ~((1 << shift) - 1);
        ByteBuffer data = bio.data();
        int fua = bio.has(Bio.FUA) && write ? 1 << 30 : 0;
        if (bytes <= max) {
            return one(bio.sector(), data.slice(data.position(), (int) bytes), write, fua);
        }
        Join join = new Join();
        for (long off = 0; off < bytes; off += max) {
            int n = (int) Math.min(max, bytes - off);
            join.add(one(bio.sector() + (off >>> Bio.SECTOR_SHIFT), data.slice(data.position() + (int) off, n), write, fua));
        }
        return join.done();
    }

    private CompletableFuture<Void> one(long sector, ByteBuffer part, boolean write, int fua) {
        long lba = sector >>> (shift - Bio.SECTOR_SHIFT);
        int nlb = part.remaining() >>> shift;
        Sqe s = Sqe.of(write ? NvmeOpcodes.IO_WRITE : NvmeOpcodes.IO_READ, nsid).withCdw((int) lba, (int) (lba >>> 32), (nlb - 1) | fua, 0, 0, 0);
        String what = write ? "Write" : "Read";
        CompletableFuture<Cqe> f = write
                ? ctrl.submitIo(s, Unpooled.wrappedBuffer(part), null, what)
                : ctrl.submitIo(s, null, part, what);
        return f.thenCompose(c -> check(c, what, lba));
    }

    private CompletableFuture<Void> flush() {
        return ctrl.submitIo(Sqe.of(NvmeOpcodes.IO_FLUSH, nsid), null, null, "Flush").thenCompose(c -> check(c, "Flush", 0));
    }

    private CompletableFuture<Void> discard(Bio bio) {
        long lba = bio.sector() >>> (shift - Bio.SECTOR_SHIFT);
        long blocks = bio.bytes() >>> shift;
        Join join = new Join();
        while (blocks > 0) {
            int ranges = (int) Math.min(DSM_MAX_RANGES, (blocks + DSM_MAX_BLOCKS - 1) / DSM_MAX_BLOCKS);
            ByteBuf list = Unpooled.buffer(16 * ranges);
            long first = lba;
            for (int r = 0; r < ranges && blocks > 0; r++) {
                long n = Math.min(DSM_MAX_BLOCKS, blocks);
                list.writeIntLE(0).writeIntLE((int) n).writeLongLE(lba);
                lba += n;
                blocks -= n;
            }
            Sqe s = Sqe.of(NvmeOpcodes.IO_DSM, nsid).withCdw(ranges - 1, 1 << 2, 0, 0, 0, 0);
            join.add(ctrl.submitIo(s, list, null, "Dataset Management").thenCompose(c -> check(c, "Dataset Management", first)));
        }
        return join.done();
    }

    private CompletableFuture<Void> writeZeroes(Bio bio) {
        long lba = bio.sector() >>> (shift - Bio.SECTOR_SHIFT);
        long blocks = bio.bytes() >>> shift;
        int deac = bio.has(Bio.NOUNMAP) ? 0 : 1 << 25;
        Join join = new Join();
        while (blocks > 0) {
            int n = (int) Math.min(WZ_MAX_BLOCKS, blocks);
            long at = lba;
            Sqe s = Sqe.of(NvmeOpcodes.IO_WRITE_ZEROES, nsid).withCdw((int) at, (int) (at >>> 32), (n - 1) | deac, 0, 0, 0);
            join.add(ctrl.submitIo(s, null, null, "Write Zeroes").thenCompose(c -> check(c, "Write Zeroes", at)));
            lba += n;
            blocks -= n;
        }
        return join.done();
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** The completion as a bio result: done, or failed with the block status of the NVMe status. */
    private CompletableFuture<Void> check(Cqe c, String what, long lba) {
        if (c.ok()) {
            return DONE;
        }
        return CompletableFuture.failedFuture(new BioException(NvmeStatus.toBlkStatus(c.statusCode()),
                name + ": " + what + " at LBA " + lba + ": " + NvmeStatus.describe(c.statusCode())));
    }

    private static CompletableFuture<Void> failed(BlkStatus s, String msg) {
        return CompletableFuture.failedFuture(new BioException(s, msg));
    }

    /** Completes when all parts have; fails with the first part's failure. */
    private static final class Join {
        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private final AtomicInteger pending = new AtomicInteger(1);

        void add(CompletableFuture<Void> part) {
            pending.incrementAndGet();
            part.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(BioException.of(e));
                } else if (pending.decrementAndGet() == 0) {
                    result.complete(null);
                }
            });
        }

        CompletableFuture<Void> done() {
            if (pending.decrementAndGet() == 0) {
                result.complete(null);
            }
            return result;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
