package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 2's ratios measured in one process: the file directly, and linear and striped devices over
 * the same files, timed in interleaved slices (each round runs every case on every device in turn,
 * the device order rotating from round to round). The devices share the JIT's state, the heap and
 * the I/O threads of one JVM, so a round's ratio device/file compares like with like; separate
 * JMH forks ({@link DmStackBenchmark}) differ from each other by more than the overhead measured.
 * The workloads are DmStackBenchmark's: 4 KiB random at QD32, 1 MiB sequential at QD8, on /dev/shm.
 * Prints one line per slice: {@code slice <round> <case> <via> <ops/s>}; bench/dm-stack.sh reduces them.
 */
public final class DmStackRun {
    static final List<String> ALL_CASES = List.of("randRead4k", "randWrite4k", "seqRead1m", "seqWrite1m");

    private final Map<String, BlockDevice> devices = new LinkedHashMap<>();
    private final Map<String, long[]> seqSector = new LinkedHashMap<>();
    private final ByteBuffer[] small = buffers(32, 4096);
    private final ByteBuffer[] large = buffers(8, 1 << 20);

    private static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            b[i] = ByteBuffer.allocateDirect(size);
        }
        return b;
    }

    /** Usage: {@code DmStackRun <rounds> <slice-ms> <vias,comma,separated> [case...]}; the first round warms up and is not printed. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: DmStackRun <rounds> <slice-ms> <file,linear,...> [case...]");
        }
        int rounds = Integer.parseInt(args[0]);
        long sliceNanos = Long.parseLong(args[1]) * 1_000_000L;
        List<String> vias = List.of(args[2].split(","));
        List<String> cases = args.length > 3 ? List.of(args).subList(3, args.length) : ALL_CASES;
        for (String c : cases) {
            if (!ALL_CASES.contains(c)) {
                throw new IllegalArgumentException("unknown case " + c + "; cases: " + ALL_CASES);
            }
        }
        Path dir = BenchFiles.memoryDir("dmstack");
        Path a = BenchFiles.randomFile(dir.resolve("a.img"), DmStackBenchmark.FILE_BYTES);
        Path b = BenchFiles.randomFile(dir.resolve("b.img"), DmStackBenchmark.FILE_BYTES);
        DeviceMapper dm = new DeviceMapper();
        FileBlockDevice direct = FileBlockDevice.open(a, false, new DevT(7, 99), 512);
        try {
            DmStackRun run = new DmStackRun();
            for (String via : vias) {
                run.devices.put(via, via.equals("file") ? direct : mapped(dm, via, via, a, b));
                run.seqSector.put(via, new long[1]);
            }
            for (int r = 0; r <= rounds; r++) {
                for (String c : cases) {
                    for (int i = 0; i < vias.size(); i++) {
                        String via = vias.get((i + r) % vias.size());
                        double opsPerSec = run.slice(c, via, sliceNanos);
                        if (r > 0) {
                            System.out.printf("slice %d %s %s %.0f%n", r, c, via, opsPerSec);
                        }
                    }
                }
            }
        } finally {
            dm.close();
            direct.close();
            BenchFiles.deleteDir(dir);
        }
    }

    /**
     * The mapped device {@code via} names, as {@code name} in {@code dm}: {@code linear} over {@code a},
     * {@code striped} (2 stripes of 64 KiB) over {@code a} and {@code b}; with {@code -noiostats}, I/O accounting off.
     */
    static MappedDevice mapped(DeviceMapper dm, String name, String via, Path a, Path b) throws Exception {
        long sectors = DmStackBenchmark.FILE_BYTES >> 9;
        MappedDevice md = switch (via.replace("-noiostats", "")) {
            case "linear" -> dm.create(name, null, "0 " + sectors + " linear " + a + " 0", false);
            case "striped" -> dm.create(name, null, "0 " + sectors + " striped 2 128 " + a + " 0 " + b + " 0", false);
            default -> throw new IllegalArgumentException("unknown via " + via);
        };
        md.setIoStatsEnabled(!via.endsWith("-noiostats"));
        return md;
    }

    /** Runs one case on one device for about {@code nanos}; returns completed operations per second. */
    private double slice(String c, String via, long nanos) {
        BlockDevice dev = devices.get(via);
        long ops = 0;
        long t0 = System.nanoTime();
        long t;
        do {
            ops += switch (c) {
                case "randRead4k" -> randomBatch(dev, false);
                case "randWrite4k" -> randomBatch(dev, true);
                case "seqRead1m" -> seqBatch(dev, seqSector.get(via), false);
                default -> seqBatch(dev, seqSector.get(via), true);
            };
            t = System.nanoTime();
        } while (t - t0 < nanos);
        return ops * 1e9 / (t - t0);
    }

    private int randomBatch(BlockDevice dev, boolean write) {
        RandomBatch.run(dev, DmStackBenchmark.FILE_BYTES, small, write);
        return small.length;
    }

    private int seqBatch(BlockDevice dev, long[] next, boolean write) {
        SequentialBatch.run(dev, DmStackBenchmark.FILE_BYTES, large, next, write);
        return large.length;
    }
}
