package io.mapperd.dm.io;

import java.nio.ByteBuffer;

/**
 * One block I/O request, as the kernel's struct bio: an operation on a range of 512-byte sectors.
 * READ and WRITE carry a buffer whose remaining bytes (position to limit) are the data; the buffer
 * is shared, never copied, when a bio is remapped or split, and nobody moves its position.
 * FLUSH has no range; DISCARD and WRITE_ZEROES have a range but no buffer.
 * A READ or WRITE may instead carry several buffers, filled or written one after the other (a
 * vectored bio, as a bio's bvec list): only devices that say so in {@link BlockDevice#acceptsSegments}
 * are given one; everything else sees single-buffer bios and {@link #data()}.
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
    /** The buffers of a vectored bio (two or more), else null. */
    private final ByteBuffer[] segments;
    private final long bytes;
    private final int flags;

    private Bio(BioOp op, long sector, ByteBuffer data, long bytes, int flags) {
        this(op, sector, data, null, bytes, flags);
    }

    private Bio(BioOp op, long sector, ByteBuffer data, ByteBuffer[] segments, long bytes, int flags) {
        if (sector < 0) {
            throw new IllegalArgumentException("negative sector " + sector);
        }
        if ((bytes & (SECTOR_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("bio of " + bytes + " bytes is not a whole number of sectors");
        }
        this.op = op;
        this.sector = sector;
        this.data = data;
        this.segments = segments;
        this.bytes = bytes;
        this.flags = flags;
    }

    public static Bio read(long sector, ByteBuffer into) {
        return new Bio(BioOp.READ, sector, into, into.remaining(), 0);
    }

    public static Bio write(long sector, ByteBuffer from, int flags) {
        return new Bio(BioOp.WRITE, sector, from, from.remaining(), flags);
    }

    /** A READ into several buffers, filled in order; one buffer makes a plain {@link #read}. */
    public static Bio readv(long sector, ByteBuffer... into) {
        return vector(BioOp.READ, sector, into, 0);
    }

    /** A WRITE of several buffers, one after the other; one buffer makes a plain {@link #write}. */
    public static Bio writev(long sector, int flags, ByteBuffer... from) {
        return vector(BioOp.WRITE, sector, from, flags);
    }

    private static Bio vector(BioOp op, long sector, ByteBuffer[] buffers, int flags) {
        if (buffers.length == 0) {
            throw new IllegalArgumentException(op + " with no buffers");
        }
        if (buffers.length == 1) {
            return new Bio(op, sector, buffers[0], buffers[0].remaining(), flags);
        }
        long bytes = 0;
        for (ByteBuffer b : buffers) {
            bytes += b.remaining();
        }
        return new Bio(op, sector, null, buffers.clone(), bytes, flags);
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

    /**
     * The data buffer (READ/WRITE), or null. Callers must use duplicates if they move positions.
     * A vectored bio has no single buffer: use {@link #buffers()}.
     */
    public ByteBuffer data() {
        if (segments != null) {
            throw new IllegalStateException(this + " has " + segments.length + " buffers: use buffers()");
        }
        return data;
    }

    /** Whether the data is in several buffers ({@link #buffers()}), not one ({@link #data()}). */
    public boolean vectored() {
        return segments != null;
    }

    /**
     * The data as buffers in order: the one buffer of a plain bio, the segments of a vectored one,
     * none for a bio without data. The array is shared: do not change it (use duplicates of the
     * buffers to move positions).
     */
    public ByteBuffer[] buffers() {
        if (segments != null) {
            return segments;
        }
        return data == null ? new ByteBuffer[0] : new ByteBuffer[] {data};
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
        return new Bio(op, newSector, data, segments, bytes, flags);
    }

    public Bio withFlags(int newFlags) {
        return new Bio(op, sector, data, segments, bytes, newFlags);
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
        // Only the last part keeps FUA semantics meaningful, but every part must be durable: keep flags.
        if (segments != null) {
            return sliceSegments(offsetSectors << SECTOR_SHIFT, len, newSector);
        }
        ByteBuffer part = null;
        if (data != null) {
            int off = (int) (offsetSectors << SECTOR_SHIFT);
            part = data.slice(data.position() + off, (int) len);
        }
        return new Bio(op, newSector, part, len, flags);
    }

    private Bio sliceSegments(long off, long len, long newSector) {
        if (len == 0) {
            return new Bio(op, newSector, segments[0].slice(segments[0].position(), 0), 0, flags);
        }
        int first = 0;
        while (off >= segments[first].remaining()) {
            off -= segments[first++].remaining();
        }
        int last = first;
        long covered = segments[first].remaining() - off;
        while (covered < len) {
            covered += segments[++last].remaining();
        }
        ByteBuffer[] parts = new ByteBuffer[last - first + 1];
        long left = len;
        for (int i = first; i <= last; i++) {
            ByteBuffer s = segments[i];
            int from = i == first ? (int) off : 0;
            int n = (int) Math.min(left, s.remaining() - from);
            parts[i - first] = s.slice(s.position() + from, n);
            left -= n;
        }
        if (parts.length == 1) {
            return new Bio(op, newSector, parts[0], len, flags);
        }
        return new Bio(op, newSector, null, parts, len, flags);
    }

    @Override
    public String toString() {
        return op + "@" + sector + "+" + sectors() + (flags != 0 ? " flags=" + flags : "")
                + (segments != null ? " in " + segments.length + " buffers" : "");
    }
}
