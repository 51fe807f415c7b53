package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DeviceProvider;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.Table;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the target tests share: a DeviceMapper, backing files read and written directly with
 * FileChannel, I/O through mapped devices, and the "rejected load leaves both slots" check.
 */
final class TargetBench implements AutoCloseable {
    final Path dir;
    final DeviceMapper dm = new DeviceMapper();

    TargetBench(Path dir) {
        this.dir = dir;
    }

    /** A sparse file of {@code bytes} bytes (reads as zeroes). */
    Path file(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    MappedDevice create(String name, String table) throws DmException {
        return dm.create(name, null, table, false);
    }

    /** A direct buffer of recognisable bytes that differ with the seed and the position. */
    static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++) {
            b.put((byte) (seed * 31 + i * 7 + (i >>> 9) * 13));
        }
        return b.flip();
    }

    static ByteBuffer fileBytes(Path p, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    while (b.hasRemaining()) {
                        b.put((byte) 0);
                    }
                }
            }
            return b.flip();
        }
    }

    static void writeFile(Path p, long offset, ByteBuffer data) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ByteBuffer b = data.duplicate();
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position() - data.position());
            }
        }
    }

    static void write(BlockDevice d, long sector, ByteBuffer data) {
        d.submit(Bio.write(sector, data.duplicate(), 0)).join();
    }

    static ByteBuffer read(BlockDevice d, long sector, int bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        d.submit(Bio.read(sector, b)).join();
        return b;
    }

    /** The status a failed bio ended with. */
    static BlkStatus failure(CompletableFuture<Void> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return BioException.statusOf(e);
    }

    static ByteBuffer zeroes(int bytes) {
        return ByteBuffer.allocate(bytes);
    }

    /**
     * Loads {@code table} into device "held" that has a live linear table on {@code file} and an
     * inactive zero table; asserts the load fails with EINVAL, both slots are the same objects as
     * before, and the live table still reads back what is written; returns the error text.
     */
    String rejected(Path file, String table) throws Exception {
        MappedDevice md = dm.find("held").isPresent() ? dm.get("held") : create("held", "0 64 linear " + file + " 0");
        dm.load("held", "0 16 zero", false);
        Table live = md.activeTable();
        Table inactive = md.inactiveTable();
        DmException e = assertThrows(DmException.class, () -> dm.load("held", table, false));
        assertEquals(e.getMessage().endsWith("(-ENODEV)") ? DmException.ENODEV : DmException.EINVAL, e.errno());
        assertSame(live, md.activeTable(), "live table unchanged");
        assertSame(inactive, md.inactiveTable(), "inactive table unchanged");
        ByteBuffer w = pattern(4096, table.length());
        write(md, 8, w);
        assertEquals(w, read(md, 8, 4096).rewind());
        assertEquals(w, fileBytes(file, 8 * 512, 4096));
        return e.getMessage();
    }

    /**
     * A {@code counted://PATH} provider: the file at PATH as a block device that counts the bios it
     * is sent by operation, and fails every bio while {@link #failing} holds its path.
     */
    static final class CountingFiles implements DeviceProvider {
        final Map<String, Map<BioOp, AtomicInteger>> counts = new ConcurrentHashMap<>();
        final java.util.Set<String> failing = ConcurrentHashMap.newKeySet();
        private final AtomicInteger nextMinor = new AtomicInteger();
        private final Map<BlockDevice, FileBlockDevice> open = new ConcurrentHashMap<>();

        @Override
        public String scheme() {
            return "counted";
        }

        int count(Path p, BioOp op) {
            Map<BioOp, AtomicInteger> m = counts.get(p.toString());
            return m == null ? 0 : m.get(op).get();
        }

        @Override
        public BlockDevice open(String url, boolean readOnly) throws IOException {
            Path p = Path.of(url.substring("counted://".length()));
            FileBlockDevice f = FileBlockDevice.open(p, readOnly, new DevT(8, 16 * nextMinor.getAndIncrement()), 512);
            Map<BioOp, AtomicInteger> m = counts.computeIfAbsent(p.toString(), k -> {
                Map<BioOp, AtomicInteger> e = new EnumMap<>(BioOp.class);
                for (BioOp op : BioOp.values()) {
                    e.put(op, new AtomicInteger());
                }
                return e;
            });
            String key = p.toString();
            BlockDevice d = new BlockDevice() {
                @Override
                public String name() {
                    return url;
                }

                @Override
                public DevT devT() {
                    return f.devT();
                }

                @Override
                public long sizeSectors() {
                    return f.sizeSectors();
                }

                @Override
                public boolean supportsDiscard() {
                    return f.supportsDiscard();
                }

                @Override
                public boolean acceptsSegments() {
                    return f.acceptsSegments();
                }

                @Override
                public CompletableFuture<Void> submit(Bio bio) {
                    m.get(bio.op()).incrementAndGet();
                    if (failing.contains(key)) {
                        return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR, url + " failing"));
                    }
                    return f.submit(bio);
                }
            };
            open.put(d, f);
            return d;
        }

        @Override
        public void release(BlockDevice device) {
            FileBlockDevice f = open.remove(device);
            if (f != null) {
                f.close();
            }
        }
    }

    @Override
    public void close() {
        dm.close();
    }
}
