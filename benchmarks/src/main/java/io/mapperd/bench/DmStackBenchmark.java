package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
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

import java.nio.ByteBuffer;
import java.nio.file.Path;

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
    private final long[] seqSector = new long[1];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchFiles.memoryDir("dmbench");
        Path a = BenchFiles.randomFile(dir.resolve("a.img"), FILE_BYTES);
        Path b = BenchFiles.randomFile(dir.resolve("b.img"), FILE_BYTES);
        if (via.equals("file")) {
            direct = FileBlockDevice.open(a, false, new DevT(7, 99), 512);
            dev = direct;
        } else {
            dm = new DeviceMapper();
            dev = DmStackRun.mapped(dm, "bench", via, a, b);
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
        BenchFiles.deleteDir(dir);
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

    @Benchmark
    @OperationsPerInvocation(8)
    public void seqRead1m() {
        SequentialBatch.run(dev, FILE_BYTES, large, seqSector, false);
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void seqWrite1m() {
        SequentialBatch.run(dev, FILE_BYTES, large, seqSector, true);
    }
}
