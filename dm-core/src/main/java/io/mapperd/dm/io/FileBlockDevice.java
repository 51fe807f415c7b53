package io.mapperd.dm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * A regular file or a raw block device node as a BlockDevice. Blocking positional I/O runs on a
 * pool of platform threads ({@link FileIoPool}; or a virtual thread per request, see {@link #IO_THREADS_PROPERTY}),
 * never on the caller's (event loop) thread. Block device nodes are opened with
 * O_DIRECT where the system allows it; misaligned buffers then go through an aligned bounce buffer.
 * Discard punches holes (fallocate) in files; block status reads holes with SEEK_DATA/SEEK_HOLE.
 * Vectored bios are one preadv/pwritev on a regular file (one request on one I/O thread).
 * A regular file's writes run one at a time in submission order; reads and flushes run in parallel.
 */
public final class FileBlockDevice implements BlockDevice, AutoCloseable {
    /** System property: platform threads for file I/O; 0 runs each request on its own virtual thread. */
    public static final String IO_THREADS_PROPERTY = "mapperd.file.io.threads";
    /** Measured with fio over the NBD export: a pool beats a virtual thread per request (no carrier compensation per blocking call). */
    public static final int DEFAULT_IO_THREADS = 16;
    /**
     * System property, default true: a memory-backed file's plain writes submitted from an
     * {@link InlineIo} thread run on that thread. Over the NBD export this took 1 MiB sequential
     * writes from ~2.7k to ~4k MiB/s and 4 KiB random writes from ~45k to ~62k IOPS (tmpfs, fio QD8/32).
     */
    public static final String INLINE_WRITES_PROPERTY = "mapperd.file.inlineWrites";
    private static final boolean INLINE_WRITES =
            Boolean.parseBoolean(System.getProperty(INLINE_WRITES_PROPERTY, "true"));
    private static final Executor CALLER = Runnable::run;
    private static final Executor IO = ioExecutor(Integer.getInteger(IO_THREADS_PROPERTY, DEFAULT_IO_THREADS));
    private static final int MAX_ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(MAX_ZERO_CHUNK).asReadOnlyBuffer();

    private final Path path;
    private final DevT devT;
    private final FileChannel channel;
    private final boolean readOnly;
    private final boolean blockNode;
    private final boolean direct;
    private final int logicalBlockSize;
    private final long sizeSectors;
    private final int fd; // a second descriptor for fallocate/lseek; -1 when unavailable
    /** Where writes, discards and zeroing run: one at a time for a regular file (see {@link WriteLane}). */
    private final Executor writes;
    /** A regular file in memory (tmpfs, ramfs): its writes never wait for a disk. */
    private final boolean memoryBacked;

    /** The threads this class makes its blocking file calls on, for others that make the same kind of calls. */
    public static Executor ioThreads() {
        return IO;
    }

    private static Executor ioExecutor(int threads) {
        if (threads <= 0) {
            return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("file-io-", 0).factory());
        }
        return new FileIoPool(threads, "file-io-");
    }

    private FileBlockDevice(Path path, DevT devT, FileChannel channel, boolean readOnly, boolean blockNode,
                            boolean direct, int logicalBlockSize, long sizeBytes, int fd, boolean memoryBacked) {
        this.path = path;
        this.devT = devT;
        this.channel = channel;
        this.readOnly = readOnly;
        this.blockNode = blockNode;
        this.direct = direct;
        this.logicalBlockSize = logicalBlockSize;
        this.sizeSectors = sizeBytes >>> Bio.SECTOR_SHIFT;
        this.fd = fd;
        this.writes = blockNode ? IO : new WriteLane(IO);
        this.memoryBacked = memoryBacked;
    }

    /**
     * Opens {@code path}. For a block device node its own dev_t and logical block size are used;
     * for a regular file, {@code fileDevT} and {@code fileBlockSize}.
     */
    public static FileBlockDevice open(Path path, boolean readOnly, DevT fileDevT, int fileBlockSize) throws IOException {
        Path real = path.toRealPath();
        boolean blockNode = !Files.isRegularFile(real) && isBlockNode(real);
        if (!blockNode && !Files.isRegularFile(real)) {
            throw new IOException(path + " is neither a regular file nor a block device");
        }
        DevT devT = fileDevT;
        int lbs = fileBlockSize;
        long size;
        FileChannel ch;
        boolean direct = false;
        Set<StandardOpenOption> base = readOnly ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (blockNode) {
            long rdev = ((Number) Files.getAttribute(real, "unix:rdev")).longValue();
            // glibc's gnu_dev_major/gnu_dev_minor
            devT = new DevT((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)),
                    (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
            String sys = "/sys/dev/block/" + devT;
            lbs = Integer.parseInt(Files.readString(Path.of(sys, "queue/logical_block_size")).trim());
            size = Long.parseLong(Files.readString(Path.of(sys, "size")).trim()) << Bio.SECTOR_SHIFT;
            FileChannel opened;
            try {
                var opts = new java.util.HashSet<java.nio.file.OpenOption>(base);
                opts.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
                opened = FileChannel.open(real, opts);
                direct = true;
            } catch (IOException | UnsupportedOperationException e) {
                opened = FileChannel.open(real, base);
            }
            ch = opened;
        } else {
            ch = FileChannel.open(real, base);
            size = ch.size();
        }
        int fd = -1;
        if (!blockNode) {
            try {
                fd = Posix.open(real.toString(), readOnly ? Posix.O_RDONLY : Posix.O_RDWR);
            } catch (Posix.ErrnoException e) {
                fd = -1;
            }
        }
        boolean inMemory = !blockNode && INLINE_WRITES && isMemoryBacked(real);
        return new FileBlockDevice(real, devT, ch, readOnly, blockNode, direct, lbs, size, fd, inMemory);
    }

    private static boolean isMemoryBacked(Path p) {
        try {
            String type = Files.getFileStore(p).type();
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isBlockNode(Path p) {
        try {
            int mode = ((Number) Files.getAttribute(p, "unix:mode")).intValue();
            return (mode & 0170000) == 0060000;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public DevT devT() {
        return devT;
    }

    @Override
    public long sizeSectors() {
        return sizeSectors;
    }

    @Override
    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean supportsDiscard() {
        return fd >= 0;
    }

    public boolean isBlockNode() {
        return blockNode;
    }

    /** Whether this is a file in memory whose plain writes run inline on {@link InlineIo} threads. */
    public boolean isMemoryBacked() {
        return memoryBacked;
    }

    public boolean isDirect() {
        return direct;
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        BioException refused = refuse(bio);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        Request r = new Request(bio);
        laneOf(bio).execute(r);
        return r;
    }

    @Override
    public void submit(Bio bio, BioCompletion done) {
        BioException refused = refuse(bio);
        if (refused != null) {
            done.bioDone(refused);
            return;
        }
        laneOf(bio).execute(new CallbackRequest(bio, done));
    }

    /** Why {@code bio} cannot go to this device (read-only, beyond its end), or null. */
    private BioException refuse(Bio bio) {
        if (bio.op().isWrite() && bio.op() != BioOp.FLUSH && readOnly) {
            return new BioException(BlkStatus.IOERR, name() + " is read-only");
        }
        if (bio.op() != BioOp.FLUSH && bio.endSector() > sizeSectors) {
            return new BioException(BlkStatus.IOERR, "access beyond end of " + name() + ": " + bio + " size " + sizeSectors);
        }
        return null;
    }

    /** FUA and PREFLUSH writes wait for the disk: they run beside the lane, as the kernel's flushes do beside its writes. */
    private Executor laneOf(Bio bio) {
        boolean serial = bio.op().isWrite() && bio.op() != BioOp.FLUSH && !bio.has(Bio.FUA) && !bio.has(Bio.PREFLUSH);
        if (!serial) {
            return IO;
        }
        // only WRITE: zeroing a large range or punching holes could hold the caller for long
        return bio.op() == BioOp.WRITE && memoryBacked && InlineIo.permitted() ? CALLER : writes;
    }

    /** One bio on an I/O thread: the task and its future in one object. */
    private final class Request extends CompletableFuture<Void> implements Runnable {
        private final Bio bio;

        Request(Bio bio) {
            this.bio = bio;
        }

        @Override
        public void run() {
            Throwable failure = call(bio);
            if (failure != null) {
                completeExceptionally(failure);
            } else {
                complete(null);
            }
        }
    }

    /** One bio on an I/O thread whose submitter gave a completion instead of taking a future. */
    private final class CallbackRequest implements Runnable {
        private final Bio bio;
        private final BioCompletion done;

        CallbackRequest(Bio bio, BioCompletion done) {
            this.bio = bio;
            this.done = done;
        }

        @Override
        public void run() {
            done.bioDone(call(bio));
        }
    }

    /** Runs {@code bio}'s file calls; returns its failure or null, once the I/O thread has timed the call. */
    private Throwable call(Bio bio) {
        Throwable failure = null;
        try {
            execute(bio);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        FileIoPool.callEnded();
        return failure;
    }

    private void execute(Bio bio) {
        try {
            if (bio.has(Bio.PREFLUSH) && bio.op() != BioOp.FLUSH) {
                channel.force(false);
            }
            long pos = bio.sector() << Bio.SECTOR_SHIFT;
            switch (bio.op()) {
                case READ -> {
                    if (bio.vectored()) {
                        readv(duplicates(bio.buffers()), pos);
                    } else {
                        read(bio.data().duplicate(), pos);
                    }
                }
                case WRITE -> {
                    if (bio.vectored()) {
                        writev(duplicates(bio.buffers()), pos);
                    } else {
                        write(bio.data().duplicate(), pos);
                    }
                }
                case FLUSH -> channel.force(false);
                case DISCARD -> discard(pos, bio.bytes());
                case WRITE_ZEROES -> writeZeroes(pos, bio.bytes(), bio.has(Bio.NOUNMAP), bio.has(Bio.NOFALLBACK));
            }
            if (bio.has(Bio.FUA)) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new BioException(BlkStatus.IOERR, name() + ": " + bio + ": " + e.getMessage(), e);
        }
    }

    private void read(ByteBuffer dst, long pos) throws IOException {
        if (direct && !aligned(dst, pos)) {
            ByteBuffer bounce = alignedBuffer(dst.remaining());
            readFully(bounce, pos);
            bounce.flip();
            dst.put(bounce);
            return;
        }
        readFully(dst, pos);
    }

    private void readFully(ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                // A file shorter than its device size reads as zeroes past its end.
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    private void write(ByteBuffer src, long pos) throws IOException {
        if (direct && !aligned(src, pos)) {
            ByteBuffer bounce = alignedBuffer(src.remaining());
            bounce.put(src).flip();
            src = bounce;
        }
        if (fd >= 0 && src.isDirect()) {
            // straight to libc: no channel bookkeeping, and an interrupted caller cannot close the file
            while (src.hasRemaining()) {
                long n = Posix.pwrite(fd, src, pos);
                if (n == 0) {
                    throw new IOException("pwrite wrote nothing at " + pos);
                }
                src.position(src.position() + (int) n);
                pos += n;
            }
            return;
        }
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    @Override
    public boolean acceptsSegments() {
        return true;
    }

    private static ByteBuffer[] duplicates(ByteBuffer[] bufs) {
        ByteBuffer[] d = new ByteBuffer[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            d[i] = bufs[i].duplicate();
        }
        return d;
    }

    /** preadv/pwritev need a descriptor and buffers in native memory; else one positional call per buffer. */
    private boolean vectorable(ByteBuffer[] bufs) {
        if (fd < 0) {
            return false;
        }
        for (ByteBuffer b : bufs) {
            if (!b.isDirect()) {
                return false;
            }
        }
        return true;
    }

    private void readv(ByteBuffer[] bufs, long pos) throws IOException {
        if (!vectorable(bufs)) {
            for (ByteBuffer b : bufs) {
                int n = b.remaining();
                read(b, pos);
                pos += n;
            }
            return;
        }
        int first = 0;
        while (first < bufs.length) {
            long n = Posix.preadv(fd, bufs, first, pos);
            if (n == 0) {
                // A file shorter than its device size reads as zeroes past its end.
                for (int i = first; i < bufs.length; i++) {
                    while (bufs[i].hasRemaining()) {
                        bufs[i].put((byte) 0);
                    }
                }
                return;
            }
            pos += n;
            first = consume(bufs, first, n);
        }
    }

    private void writev(ByteBuffer[] bufs, long pos) throws IOException {
        if (!vectorable(bufs)) {
            for (ByteBuffer b : bufs) {
                int n = b.remaining();
                write(b, pos);
                pos += n;
            }
            return;
        }
        int first = 0;
        while (first < bufs.length) {
            long n = Posix.pwritev(fd, bufs, first, pos);
            pos += n;
            first = consume(bufs, first, n);
        }
    }

    /** Moves positions past {@code n} transferred bytes; returns the first buffer with bytes left. */
    private static int consume(ByteBuffer[] bufs, int first, long n) {
        while (first < bufs.length && n >= bufs[first].remaining()) {
            n -= bufs[first].remaining();
            bufs[first].position(bufs[first].limit());
            first++;
        }
        if (n > 0) {
            bufs[first].position(bufs[first].position() + (int) n);
        }
        return first;
    }

    private boolean aligned(ByteBuffer b, long pos) {
        return b.isDirect() && pos % logicalBlockSize == 0 && b.remaining() % logicalBlockSize == 0
                && b.alignmentOffset(b.position(), logicalBlockSize) == 0;
    }

    private ByteBuffer alignedBuffer(int len) {
        return ByteBuffer.allocateDirect(len + logicalBlockSize).alignedSlice(logicalBlockSize).limit(len);
    }

    private void discard(long pos, long len) throws IOException {
        if (fd < 0) {
            throw new BioException(BlkStatus.NOTSUPP, name() + " does not support discard");
        }
        Posix.fallocate(fd, Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE, pos, len);
    }

    private void writeZeroes(long pos, long len, boolean noUnmap, boolean noFallback) throws IOException {
        if (fd >= 0) {
            try {
                int mode = noUnmap ? Posix.FALLOC_FL_ZERO_RANGE | Posix.FALLOC_FL_KEEP_SIZE
                        : Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE;
                Posix.fallocate(fd, mode, pos, len);
                return;
            } catch (Posix.ErrnoException e) {
                // file system without the mode: write zeroes below
            }
        }
        if (noFallback) {
            throw new BioException(BlkStatus.NOTSUPP, name() + " cannot zero " + len + " bytes at " + pos + " without writing them");
        }
        while (len > 0) {
            int n = (int) Math.min(len, MAX_ZERO_CHUNK);
            ByteBuffer z = ZEROES.duplicate().limit(n);
            write(z, pos);
            pos += n;
            len -= n;
        }
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        if (fd < 0) {
            return BlockDevice.super.blockStatus(sector, sectors);
        }
        return CompletableFuture.supplyAsync(() -> holes(sector, sectors), IO);
    }

    private List<Extent> holes(long sector, long sectors) {
        List<Extent> out = new ArrayList<>();
        long pos = sector << Bio.SECTOR_SHIFT;
        long end = (sector + sectors) << Bio.SECTOR_SHIFT;
        try {
            while (pos < end) {
                long data = Posix.lseek(fd, pos, Posix.SEEK_DATA);
                if (data < 0 || data >= end) {
                    out.add(Extent.holeOfZeroes((end - pos) >>> Bio.SECTOR_SHIFT));
                    break;
                }
                if (data > pos) {
                    long holeEnd = data & ~(Bio.SECTOR_SIZE - 1L);
                    if (holeEnd > pos) {
                        out.add(Extent.holeOfZeroes((holeEnd - pos) >>> Bio.SECTOR_SHIFT));
                        pos = holeEnd;
                    }
                }
                long hole = Posix.lseek(fd, pos, Posix.SEEK_HOLE);
                long dataEnd = hole < 0 ? end : Math.min(end, (hole + Bio.SECTOR_SIZE - 1) & ~(Bio.SECTOR_SIZE - 1L));
                if (dataEnd <= pos) {
                    dataEnd = Math.min(end, pos + Bio.SECTOR_SIZE);
                }
                out.add(Extent.data((dataEnd - pos) >>> Bio.SECTOR_SHIFT));
                pos = dataEnd;
            }
        } catch (IOException e) {
            out.add(Extent.data((end - pos) >>> Bio.SECTOR_SHIFT));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a file we only read or wrote positionally cannot lose data after force()
        }
        if (fd >= 0) {
            Posix.close(fd);
        }
    }
}
