package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * I/O through dm-core's linear and striped targets against the same file directly, at queue
 * depth 32 (4 KiB random) and 8 (1 MiB sequential). The ratio device/file is what we report.
 * The file lives on /dev/shm so the storage is not the bottleneck: this measures our overhead.
 * {@code linear-noiostats} and {@code striped-noiostats} are the same devices with I/O accounting
 * off (the kernel's queue/iostats 0): what the mapping costs without the per-bio clock reads.
 */
@State(Scope.Benchmark)
public class DmStackBenchmark {
    static final long FILE_BYTES = 512L << 20;

    @Param({"file", "linear", "striped", "linear-noiostats", "striped-noiostats"})
    public String via;

    private Path dir;
    private DeviceMapper dm;
    private FileBlockDevice direct;
    private BlockDevice dev;
    private ByteBuffer[] small;
    private ByteBuffer[] large;
    private long seqSector;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "dmbench");
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        for (Path p : new Path[] {a, b}) {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(FILE_BYTES);
                byte[] chunk = new byte[1 << 20];
                ThreadLocalRandom.current().nextBytes(chunk);
                for (long o = 0; o < FILE_BYTES; o += chunk.length) {
                    f.write(chunk);
                }
            }
        }
        long sectors = FILE_BYTES >> 9;
        switch (via.replace("-noiostats", "")) {
            case "file" -> {
                direct = FileBlockDevice.open(a, false, new DevT(7, 99), 512);
                dev = direct;
            }
            case "linear" -> {
                dm = new DeviceMapper();
                dm.create("lin", null, "0 " + sectors + " linear " + a + " 0", false);
                dev = dm.get("lin");
            }
            case "striped" -> {
                dm = new DeviceMapper();
                dm.create("str", null, "0 " + sectors + " striped 2 128 " + a + " 0 " + b + " 0", false);
                dev = dm.get("str");
            }
            default -> throw new IllegalArgumentException(via);
        }
        if (via.endsWith("-noiostats")) {
            ((MappedDevice) dev).setIoStatsEnabled(false);
        }
        small = new ByteBuffer[32];
        for (int i = 0; i < small.length; i++) {
            small[i] = ByteBuffer.allocateDirect(4096);
        }
        large = new ByteBuffer[8];
        for (int i = 0; i < large.length; i++) {
            large[i] = ByteBuffer.allocateDirect(1 << 20);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (dm != null) {
            dm.close();
        }
        if (direct != null) {
            direct.close();
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public void randRead4k() {
        RandomBatch.run(dev, FILE_BYTES, small, false);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public void randWrite4k() {
        RandomBatch.run(dev, FILE_BYTES, small, true);
    }

    private long nextSeq() {
        long s = seqSector;
        seqSector = (seqSector + 2048) % (FILE_BYTES >> 9);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void seqRead1m() {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[8];
        for (int i = 0; i < 8; i++) {
            fs[i] = dev.submit(Bio.read(nextSeq(), large[i].clear()));
        }
        CompletableFuture.allOf(fs).join();
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void seqWrite1m() {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[8];
        for (int i = 0; i < 8; i++) {
            fs[i] = dev.submit(Bio.write(nextSeq(), large[i].clear(), 0));
        }
        CompletableFuture.allOf(fs).join();
    }
}
