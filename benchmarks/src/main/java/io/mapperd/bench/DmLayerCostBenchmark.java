package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of one mapped layer per bio, without I/O threads: 4 KiB writes to a zero-target
 * device directly, and through a linear or a striped device stacked on zero devices. Every bio
 * completes on the submitting thread, so time per op is the layer's own work (gate, table lookup,
 * remap, completion, accounting) and "via - zero" is what one linear or striped layer adds.
 * {@link #main} runs the same loop outside JMH and prints the calling thread's CPU time per bio
 * (minimum over chunks, which a loaded machine disturbs far less than wall time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DmLayerCostBenchmark {
    static final long SECTORS = 1L << 20;

    @Param({"zero", "linear", "striped"})
    public String via;

    private DeviceMapper dm;
    private BlockDevice dev;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4096);
    private long sector;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dm = new DeviceMapper();
        dm.create("z0", null, "0 " + SECTORS + " zero", false);
        dm.create("z1", null, "0 " + SECTORS + " zero", false);
        dev = switch (via) {
            case "zero" -> dm.get("z0");
            case "linear" -> dm.create("lin", null, "0 " + SECTORS + " linear /dev/mapper/z0 0", false);
            case "striped" -> dm.create("str", null,
                    "0 " + (2 * SECTORS) + " striped 2 128 /dev/mapper/z0 0 /dev/mapper/z1 0", false);
            default -> throw new IllegalArgumentException(via);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dm.close();
    }

    @Benchmark
    public void write4k() {
        sector = (sector + 8) & (SECTORS - 1);
        dev.submit(Bio.write(sector, buf.clear(), 0)).join();
    }

    /** {@code <zero|linear|striped> [nostats]}: thread CPU ns per bio, the minimum over 50 chunks after warm-up. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: DmLayerCostBenchmark <zero|linear|striped> [nostats]");
        }
        DmLayerCostBenchmark b = new DmLayerCostBenchmark();
        b.via = args[0];
        b.setUp();
        boolean stats = !(args.length > 1 && args[1].equals("nostats"));
        b.dm.list().forEach(md -> md.setIoStatsEnabled(stats));
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int chunk = 100_000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 80; round++) {
            long c0 = tm.getCurrentThreadCpuTime();
            for (int i = 0; i < chunk; i++) {
                b.write4k();
            }
            long used = tm.getCurrentThreadCpuTime() - c0;
            if (round >= 30) {
                best = Math.min(best, used);
            }
        }
        b.tearDown();
        System.out.printf("%s %s %.1f ns/bio%n", b.via, stats ? "stats" : "nostats", best / (double) chunk);
    }
}
