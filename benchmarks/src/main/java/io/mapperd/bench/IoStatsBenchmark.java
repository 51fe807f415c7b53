package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
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
 * The cost of I/O accounting (issue 9): 4 KiB random reads and writes at queue depth 32 through
 * a linear map and a one-path multipath map (map and path accounting), with the mapped device's
 * iostats on and off. The file is on /dev/shm so the storage is not the bottleneck.
 */
@State(Scope.Benchmark)
public class IoStatsBenchmark {
    static final long FILE_BYTES = 64L << 20;

    @Param({"linear", "multipath"})
    public String map;

    @Param({"on", "off"})
    public String iostats;

    private Path dir;
    private DeviceMapper dm;
    private MappedDevice dev;
    private ByteBuffer[] bufs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchFiles.memoryDir("iostats");
        Path a = BenchFiles.randomFile(dir.resolve("a.img"), FILE_BYTES);
        long sectors = FILE_BYTES >> 9;
        dm = new DeviceMapper();
        String table = switch (map) {
            case "linear" -> "0 " + sectors + " linear " + a + " 0";
            case "multipath" -> "0 " + sectors + " multipath 0 0 1 1 round-robin 0 1 1 " + a + " 1";
            default -> throw new IllegalArgumentException(map);
        };
        dev = dm.create("bench", null, table, false);
        dev.setIoStatsEnabled(iostats.equals("on"));
        bufs = new ByteBuffer[32];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = ByteBuffer.allocateDirect(4096);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dm.close();
        BenchFiles.deleteDir(dir);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public void randRead4k() {
        RandomBatch.run(dev, FILE_BYTES, bufs, false);
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public void randWrite4k() {
        RandomBatch.run(dev, FILE_BYTES, bufs, true);
    }
}
