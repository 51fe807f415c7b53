package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multipath failover and multibus figures (issue 6), in one run:
 * <ol>
 * <li>failover stall: a failover map (group 1: p0, group 2: p1) under 4 KiB random writes at
 * queue depth 8; a transport error is switched on at the active path p0; the stall is the time from
 * that moment to the first completion of a bio submitted after it (that bio went to p0, failed,
 * and was retried on p1). Then p0 is reinstated and group 1 switched back. KILLS kills; p50/p99/max.</li>
 * <li>throughput: 4 KiB random reads at queue depth 32 through a 2-path round-robin (multibus) map
 * and through a 1-path map over the same file, interleaved ROUNDS times, median ratio.</li>
 * </ol>
 * The backing file is on /dev/shm, so the paths are not the bottleneck: this measures our cost.
 */
public final class MultipathFailoverBench {
    static final long FILE_BYTES = 256L << 20;
    static final long SECTORS = FILE_BYTES >> 9;

    public static void main(String[] args) throws Exception {
        int kills = Integer.getInteger("kills", 100);
        int rounds = Integer.getInteger("rounds", 5);
        long seconds = Long.getLong("seconds", 3);
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "mpbench");
        Path file = dir.resolve("lun.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(chunk);
            for (long o = 0; o < FILE_BYTES; o += chunk.length) {
                f.write(chunk);
            }
        }
        try {
            failover(file, kills);
            throughput(file, rounds, seconds);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void failover(Path file, int kills) throws Exception {
        try (DeviceMapper dm = new DeviceMapper()) {
            SwitchablePath.Provider paths = new SwitchablePath.Provider();
            dm.addProvider(paths);
            MappedDevice md = dm.create("fo", null, "0 " + SECTORS + " multipath 0 0 2 1 round-robin 0 1 1 switch://p0" + file
                    + " 1 round-robin 0 1 1 switch://p1" + file + " 1", false);
            SwitchablePath p0 = paths.get("p0");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong firstAfter = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong ios = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                    while (!stop.get()) {
                        long submitted = System.nanoTime();
                        long sector = ThreadLocalRandom.current().nextLong(SECTORS >> 3) << 3;
                        try {
                            md.submit(Bio.write(sector, buf.clear(), 0)).join();
                            ios.incrementAndGet();
                            long done = System.nanoTime();
                            if (submitted >= killedAt.get()) {
                                firstAfter.compareAndSet(0, done);
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(500);
            long[] stalls = new long[kills];
            long[] probes = new long[kills];
            ByteBuffer probe = ByteBuffer.allocateDirect(4096);
            for (int k = 0; k < kills; k++) {
                Thread.sleep(20);
                firstAfter.set(0);
                long t0 = System.nanoTime();
                killedAt.set(t0);
                p0.fail(true);
                md.submit(Bio.write(0, probe.clear(), 0)).join();
                probes[k] = System.nanoTime() - t0;
                while (firstAfter.get() == 0) {
                    Thread.onSpinWait();
                }
                stalls[k] = firstAfter.get() - t0;
                killedAt.set(Long.MAX_VALUE);
                Thread.sleep(20);
                p0.fail(false);
                dm.message("fo", 0, List.of("reinstate_path", "240:0"));
                dm.message("fo", 0, List.of("switch_group", "1"));
            }
            stop.set(true);
            for (Thread t : workers) {
                t.join();
            }
            Arrays.sort(stalls);
            Arrays.sort(probes);
            System.out.printf("failover: %d kills (transport error on the active path, 8 writers at 4 KiB), %d I/Os, %d I/O errors%n",
                    kills, ios.get(), errors.get());
            System.out.printf("failover stall: p50 %.3f ms, p99 %.3f ms, max %.3f ms, min %.3f ms%n",
                    pct(stalls, 50) / 1e6, pct(stalls, 99) / 1e6, stalls[kills - 1] / 1e6, stalls[0] / 1e6);
            System.out.printf("probe stall (one write submitted at the kill): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    pct(probes, 50) / 1e6, pct(probes, 99) / 1e6, probes[kills - 1] / 1e6);
            System.out.println("status after: " + md.activeTable().lines(io.mapperd.dm.core.StatusType.INFO).getFirst());
        }
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void throughput(Path file, int rounds, long seconds) throws Exception {
        double[] multi = new double[rounds];
        double[] single = new double[rounds];
        try (DeviceMapper dm = new DeviceMapper()) {
            SwitchablePath.Provider paths = new SwitchablePath.Provider();
            dm.addProvider(paths);
            MappedDevice two = dm.create("mb", null, "0 " + SECTORS + " multipath 0 0 1 1 round-robin 0 2 1 switch://m0" + file
                    + " 1 switch://m1" + file + " 1", false);
            MappedDevice one = dm.create("sp", null, "0 " + SECTORS + " multipath 0 0 1 1 round-robin 0 1 1 switch://s0" + file + " 1", false);
            run(two, 1);
            run(one, 1);
            for (int r = 0; r < rounds; r++) {
                multi[r] = run(two, seconds);
                single[r] = run(one, seconds);
                System.out.printf("round %d: multibus 2 paths %.0f IOPS, 1 path %.0f IOPS, ratio %.3f%n",
                        r + 1, multi[r], single[r], multi[r] / single[r]);
            }
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = multi[r] / single[r];
        }
        Arrays.sort(ratios);
        Arrays.sort(multi);
        Arrays.sort(single);
        System.out.printf("throughput 4 KiB random read QD32: multibus median %.0f IOPS, single path median %.0f IOPS, median ratio %.3f%n",
                multi[rounds / 2], single[rounds / 2], ratios[rounds / 2]);
    }

    /** IOPS of 4 KiB random reads at queue depth 32 for {@code seconds}. */
    private static double run(BlockDevice dev, long seconds) {
        int qd = 32;
        ByteBuffer[] bufs = new ByteBuffer[qd];
        for (int i = 0; i < qd; i++) {
            bufs[i] = ByteBuffer.allocateDirect(4096);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long start = System.nanoTime();
        CompletableFuture<?>[] fs = new CompletableFuture<?>[qd];
        while (System.nanoTime() < end) {
            for (int i = 0; i < qd; i++) {
                long sector = ThreadLocalRandom.current().nextLong(SECTORS >> 3) << 3;
                fs[i] = dev.submit(Bio.read(sector, bufs[i].clear()));
            }
            CompletableFuture.allOf(fs).join();
            n += qd;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
