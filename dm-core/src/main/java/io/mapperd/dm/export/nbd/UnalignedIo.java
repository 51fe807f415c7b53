package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.CompletableFuture;

/**
 * Byte-granular requests on a sector device: the slow path for clients that do not align to 512
 * bytes (the export advertises a minimum block size of 1). Writes become read-modify-write cycles
 * over the enclosing sectors, ordered per export by {@link ExportState#serialize}.
 */
final class UnalignedIo {
    static final int SECTOR = Bio.SECTOR_SIZE;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final int CACHE_CHUNK = 1 << 20;

    private UnalignedIo() {
    }

    static boolean aligned(long offset, long length) {
        return ((offset | length) & (SECTOR - 1)) == 0;
    }

    static long alignDown(long v) {
        return v & -SECTOR;
    }

    static long alignUp(long v) {
        return (v + SECTOR - 1) & -SECTOR;
    }

    /**
     * Writes {@code length} bytes of {@code data} (or zeroes when data is null) at byte {@code offset}:
     * reads the partial first and last sectors, merges, writes the whole run back.
     */
    static CompletableFuture<Void> write(ExportState export, ByteBufAllocator alloc, long offset, ByteBuf data,
                                         int length, int bioFlags) {
        return export.serialize(() -> cycle(export.device(), alloc, offset, data, length, bioFlags));
    }

    private static CompletableFuture<Void> cycle(MappedDevice md, ByteBufAllocator alloc, long offset, ByteBuf data,
                                                 int length, int bioFlags) {
        long start = alignDown(offset);
        long end = alignUp(offset + length);
        int n = (int) (end - start);
        ByteBuf run = alloc.directBuffer(n);
        run.writerIndex(n);
        boolean headPartial = offset != start;
        boolean tailPartial = offset + length != end;
        CompletableFuture<Void> head = headPartial
                ? md.submit(Bio.read(start >>> Bio.SECTOR_SHIFT, run.nioBuffer(0, SECTOR))) : DONE;
        CompletableFuture<Void> tail = tailPartial && !(headPartial && n == SECTOR)
                ? md.submit(Bio.read((end - SECTOR) >>> Bio.SECTOR_SHIFT, run.nioBuffer(n - SECTOR, SECTOR))) : DONE;
        int at = (int) (offset - start);
        return CompletableFuture.allOf(head, tail).thenCompose(v -> {
            if (data == null) {
                run.setZero(at, length);
            } else {
                run.setBytes(at, data, data.readerIndex(), length);
            }
            return md.submit(Bio.write(start >>> Bio.SECTOR_SHIFT, run.nioBuffer(0, n), bioFlags));
        }).whenComplete((v, ex) -> run.release());
    }

    /** WRITE_ZEROES on any byte range: zero-merge the partial sectors, zero the aligned middle. */
    static CompletableFuture<Void> writeZeroes(ExportState export, ByteBufAllocator alloc, long offset, long length,
                                               int bioFlags) {
        MappedDevice md = export.device();
        long end = offset + length;
        long midStart = alignUp(offset);
        long midEnd = alignDown(end);
        if (midStart >= midEnd) {
            return write(export, alloc, offset, null, (int) length, bioFlags & Bio.FUA);
        }
        CompletableFuture<Void> f = offset < midStart
                ? write(export, alloc, offset, null, (int) (midStart - offset), bioFlags & Bio.FUA) : DONE;
        f = f.thenCompose(v -> md.submit(Bio.writeZeroes(midStart >>> Bio.SECTOR_SHIFT, midEnd - midStart, bioFlags)));
        if (midEnd < end) {
            f = f.thenCompose(v -> write(export, alloc, midEnd, null, (int) (end - midEnd), bioFlags & Bio.FUA));
        }
        return f;
    }

    /** NBD_CMD_CACHE: reads the range (in 1 MiB steps through one buffer) so it is warm for the client. */
    static CompletableFuture<Void> cache(MappedDevice md, ByteBufAllocator alloc, long offset, long length) {
        long start = alignDown(offset);
        long end = alignUp(offset + length);
        ByteBuf buf = alloc.directBuffer((int) Math.min(CACHE_CHUNK, end - start));
        buf.writerIndex(buf.capacity());
        return cacheFrom(md, buf, start, end).whenComplete((v, ex) -> buf.release());
    }

    private static CompletableFuture<Void> cacheFrom(MappedDevice md, ByteBuf buf, long pos, long end) {
        if (pos >= end) {
            return DONE;
        }
        int n = (int) Math.min(buf.capacity(), end - pos);
        return md.submit(Bio.read(pos >>> Bio.SECTOR_SHIFT, buf.nioBuffer(0, n)))
                .thenCompose(v -> cacheFrom(md, buf, pos + n, end));
    }
}
