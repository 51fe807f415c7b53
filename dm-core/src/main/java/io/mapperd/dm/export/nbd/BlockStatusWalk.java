package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.Extent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Answers NBD_CMD_BLOCK_STATUS for base:allocation from the device's extents: asks the device
 * (which answers up to the end of one target at a time) until the range is covered or enough
 * descriptors are gathered, merges neighbours in the same state, and trims to the byte range asked.
 */
final class BlockStatusWalk {
    private static final int MAX_DESCRIPTORS = 256;

    private final MappedDevice md;
    private final long end;
    private final boolean one;
    private final List<BlockStatusChunk.Descriptor> out = new ArrayList<>();
    private long lastFlags = -1;
    private long pos;

    private BlockStatusWalk(MappedDevice md, long offset, long length, boolean one) {
        this.md = md;
        this.end = offset + length;
        this.one = one;
        this.pos = offset;
    }

    static CompletableFuture<List<BlockStatusChunk.Descriptor>> of(MappedDevice md, long offset, long length, boolean one) {
        return new BlockStatusWalk(md, offset, length, one).step();
    }

    private CompletableFuture<List<BlockStatusChunk.Descriptor>> step() {
        long sector = pos >>> Bio.SECTOR_SHIFT;
        long sectors = UnalignedIo.alignUp(end) / Bio.SECTOR_SIZE - sector;
        return md.blockStatus(sector, sectors).thenCompose(extents -> {
            if (extents.isEmpty()) {
                if (out.isEmpty()) {
                    throw new BioException(BlkStatus.IOERR, md.dmName() + ": no allocation status at byte " + pos);
                }
                return CompletableFuture.completedFuture(out);
            }
            long at = sector << Bio.SECTOR_SHIFT;
            for (Extent e : extents) {
                long eEnd = Math.min(end, at + (e.sectors() << Bio.SECTOR_SHIFT));
                if (eEnd > pos) {
                    add(eEnd - pos, (e.hole() ? NbdProtocol.STATE_HOLE : 0) | (e.zero() ? NbdProtocol.STATE_ZERO : 0));
                    pos = eEnd;
                }
                at += e.sectors() << Bio.SECTOR_SHIFT;
                if (pos >= end) {
                    break;
                }
            }
            if (pos >= end || (one && !out.isEmpty()) || out.size() >= MAX_DESCRIPTORS || at <= (sector << Bio.SECTOR_SHIFT)) {
                return CompletableFuture.completedFuture(one ? out.subList(0, 1) : out);
            }
            return step();
        });
    }

    private void add(long length, int flags) {
        if (flags == lastFlags) {
            BlockStatusChunk.Descriptor last = out.removeLast();
            out.add(new BlockStatusChunk.Descriptor(last.length() + length, flags));
        } else {
            out.add(new BlockStatusChunk.Descriptor(length, flags));
            lastFlags = flags;
        }
    }
}
