package io.mapperd.dm.io;

import java.nio.ByteBuffer;

/**
 * One block I/O request, as the kernel's struct bio: an operation on a range of 512-byte sectors.
 * READ and WRITE carry a buffer whose remaining bytes (position to limit) are the data; the buffer
 * is shared, never copied, when a bio is remapped or split, and nobody moves its position.
 * FLUSH has no range; DISCARD and WRITE_ZEROES have a range but no buffer.
 * Completion is asynchronous: {@link BlockDevice#submit} returns the future.
 */
public final class Bio {
    public static final int SECTOR_SHIFT = 9;
    public static final int SECTOR_SIZE = 1 << SECTOR_SHIFT;

    /** Force unit access: the data is on stable storage when the bio completes. */
    public static final int FUA = 1;
    /** Flush the device's volatile cache before this bio. */
    public static final int PREFLUSH = 1 << 1;
    /** WRITE_ZEROES: the range must stay allocated (NBD's NO_HOLE). */
    public static final int NOUNMAP = 1 << 2;
    /** WRITE_ZEROES: fail with NOTSUPP rather than write zeroes slowly (NBD's FAST_ZERO). */
    public static final int NOFALLBACK = 1 << 3;
    /**
     * Fail at once with a transport error instead of waiting for a lost connection to come back (the
     * kernel's REQ_FAILFAST_TRANSPORT): multipath sets it, since another path can take the bio.
     */
    public static final int FAILFAST_TRANSPORT = 1 << 4;

    private final BioOp op;
    private final long sector;
    private final ByteBuffer data;
    private final long bytes;
    private final int flags;

    private Bio(BioOp op, long sector, ByteBuffer data, long bytes, int flags) {
        if (sector < 0) {
            throw new IllegalArgumentException("negative sector " + sector);
        }
        if ((bytes & (SECTOR_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("bio of " + bytes + " bytes is not a whole number of sectors");
        }
        this.op = op;
        this.sector = sector;
        this.data = data;
        this.bytes = bytes;
        this.flags = flags;
    }

    public static Bio read(long sector, ByteBuffer into) {
        return new Bio(BioOp.READ, sector, into, into.remaining(), 0);
    }

    public static Bio write(long sector, ByteBuffer from, int flags) {
        return new Bio(BioOp.WRITE, sector, from, from.remaining(), flags);
    }

    public static Bio flush() {
        return new Bio(BioOp.FLUSH, 0, null, 0, PREFLUSH);
    }

    public static Bio discard(long sector, long bytes) {
        return new Bio(BioOp.DISCARD, sector, null, bytes, 0);
    }

    public static Bio writeZeroes(long sector, long bytes, int flags) {
        return new Bio(BioOp.WRITE_ZEROES, sector, null, bytes, flags);
    }

    public BioOp op() {
        return op;
    }

    public long sector() {
        return sector;
    }

    /** The data buffer (READ/WRITE), or null. Callers must use duplicates if they move positions. */
    public ByteBuffer data() {
        return data;
    }

    public long bytes() {
        return bytes;
    }

    public long sectors() {
        return bytes >>> SECTOR_SHIFT;
    }

    public long endSector() {
        return sector + sectors();
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The same request at another sector (a remap). */
    public Bio at(long newSector) {
        return new Bio(op, newSector, data, bytes, flags);
    }

    public Bio withFlags(int newFlags) {
        return new Bio(op, sector, data, bytes, newFlags);
    }

    /**
     * A part of this bio: {@code sectors} sectors starting {@code offsetSectors} into it, placed at
     * {@code newSector}. The buffer is a view on the same memory.
     */
    public Bio slice(long offsetSectors, long sectors, long newSector) {
        if (offsetSectors < 0 || sectors < 0 || offsetSectors + sectors > sectors()) {
            throw new IllegalArgumentException("slice " + offsetSectors + "+" + sectors + " outside bio of " + sectors() + " sectors");
        }
        long len = sectors << SECTOR_SHIFT;
        ByteBuffer part = null;
        if (data != null) {
            int off = (int) (offsetSectors << SECTOR_SHIFT);
            part = data.slice(data.position() + off, (int) len);
        }
        // Only the last part keeps FUA semantics meaningful, but every part must be durable: keep flags.
        return new Bio(op, newSector, part, len, flags);
    }

    @Override
    public String toString() {
        return op + "@" + sector + "+" + sectors() + (flags != 0 ? " flags=" + flags : "");
    }
}
