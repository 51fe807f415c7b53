package io.mapperd.bench;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.MultipathTarget;
import io.mapperd.dm.targets.multipath.PgPath;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Multipath failover and multibus figures (issue 6), over {@code mode} paths: {@code iscsi}
 * (target-sim iSCSI portals), {@code nvme} (target-sim NVMe/TCP ports) or {@code switch} (file
 * paths with a fault switch). In one run:
 * <ol>
 * <li>failover stall: a failover map (group 1: path 0, group 2: path 1) under 8 writers of 4 KiB
 * random writes, one in flight each. The active path is killed (its connections reset; then, where
 * the transport has timeouts, a silent hang). Stall = time from the kill to the first completion of
 * a write submitted after it; also the longest any write in flight at the kill waited. After each
 * kill the fault ends, the transport reconnects, and the path is reinstated and group 1 switched
 * back to (multipathd's part, by message), then I/O is seen on path 0 again.</li>
 * <li>throughput: 4 KiB random reads at queue depth 32 through a 2-path multibus map and through a
 * 1-path map over the same LUN, interleaved, median of the per-round ratios. The path selector is
 * {@code -Dselector} (default service-time 0, multipathd's default path_selector).</li>
 * </ol>
 */
public final class MultipathFailoverBench {
    static final int WRITERS = 8;
    /**
     * Throughput load: true (default, {@code -Dload=steady}) keeps 32 reads in flight, each completion
     * replaced at once as fio does; {@code -Dload=batch} submits 32, waits for all 32, and again.
     */
    static final boolean STEADY = !"batch".equals(System.getProperty("load", "steady"));
    /** The throughput maps' path selector with its counted args: multipathd's default path_selector unless {@code -Dselector}. */
    static final String SELECTOR = System.getProperty("selector", "service-time 0");

    record Stalls(PathRig.Kill kind, int kills, int absorbed, long[] nextIo, long[] inFlight, long[] noticed, long ios, long errors, String firstError,
                  String status) {
    }

    record Throughput(double[] multi, double[] single, double[] ratios) {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("mode", "iscsi");
        int kills = Integer.getInteger("kills", 100);
        int hangKills = Integer.getInteger("hangKills", 10);
        int rounds = Integer.getInteger("rounds", 5);
        long seconds = Long.getLong("seconds", 3);
        long sizeMiB = Long.getLong("sizeMiB", 256);
        Duration timeout = Duration.ofMillis(Long.getLong("timeoutMs", 1000));
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "mpbench");
        String loadBefore = loadAverage();
        try (PathRig rig = switch (mode) {
            case "iscsi" -> new IscsiRig(dir, sizeMiB << 20, timeout);
            case "nvme" -> new NvmeRig(dir, sizeMiB << 20, timeout);
            case "switch" -> new SwitchRig(dir, sizeMiB << 20);
            default -> throw new IllegalArgumentException("mode '" + mode + "': want iscsi, nvme or switch");
        }) {
            System.out.println("paths: " + rig.describe() + "; target-sim event loops: " + io.mapperd.sim.SimLoops.count());
            System.out.println("load average before: " + loadBefore);
            List<Stalls> stalls = new ArrayList<>();
            if (kills > 0) {
                stalls.add(failover(rig, PathRig.Kill.RESET, kills));
            }
            if (rig.canHang() && hangKills > 0) {
                stalls.add(failover(rig, PathRig.Kill.HANG, hangKills));
            }
            Throughput t = throughput(rig, rounds, seconds);
            summary(mode, rig, stalls, t, loadBefore, loadAverage());
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.exit(0); // transports' event loops and timers are daemon threads, but do not wait on their shutdown
    }

    // ---- failover stall ----

    private static Stalls failover(PathRig rig, PathRig.Kill kind, int kills) throws Exception {
        String name = "fo-" + kind.name().toLowerCase(Locale.ROOT);
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.addProvider(rig.provider());
            MappedDevice md = dm.create(name, "", "0 " + rig.sectors() + " multipath 0 0 2 1 round-robin 0 1 1 " + rig.url(0)
                    + " 1 round-robin 0 1 1 " + rig.url(1) + " 1", false);
            MultipathTarget mp = (MultipathTarget) md.activeTable().entries().getFirst().target();
            PgPath p0 = mp.groups().get(0).paths().getFirst();
            long sectors = rig.sectors();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong firstAfter = new AtomicLong();
            AtomicLong lastInFlightDone = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong ios = new AtomicLong();
            List<String> firstError = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                workers.add(Thread.ofVirtual().name("writer-" + w).start(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                    while (!stop.get()) {
                        long submitted = System.nanoTime();
                        long sector = ThreadLocalRandom.current().nextLong(sectors >> 3) << 3;
                        try {
                            md.submit(Bio.write(sector, buf.clear(), 0)).get(60, TimeUnit.SECONDS);
                            ios.incrementAndGet();
                        } catch (Exception e) {
                            if (errors.incrementAndGet() == 1) {
                                synchronized (firstError) {
                                    firstError.add(e.toString());
                                }
                            }
                        }
                        long done = System.nanoTime();
                        long k = killedAt.get();
                        if (submitted >= k) {
                            firstAfter.compareAndSet(0, done);
                        } else if (done >= k) {
                            lastInFlightDone.accumulateAndGet(done, Math::max);
                        }
                    }
                }));
            }
            Thread.sleep(500);
            long[] nextIo = new long[kills];
            long[] inFlight = new long[kills];
            long[] noticed = new long[kills];
            int absorbed = 0;
            for (int k = 0; k < kills; k++) {
                Thread.sleep(50);
                firstAfter.set(0);
                lastInFlightDone.set(0);
                long t0 = System.nanoTime();
                killedAt.set(t0); // writes submitted from here on wait for the kill (first completion time below)
                rig.kill(0, kind, p0.device());
                firstAfter.set(0);
                long effective = System.nanoTime();
                killedAt.set(effective); // and from here on, none can complete on the killed connection
                noticed[k] = effective - t0;
                await("I/O after kill " + (k + 1), 60, () -> firstAfter.get() != 0);
                nextIo[k] = firstAfter.get() - t0;
                // every write in flight at the kill has finished once each writer has submitted a new one
                Thread.sleep(20);
                inFlight[k] = Math.max(0, lastInFlightDone.get() - t0);
                killedAt.set(Long.MAX_VALUE);
                rig.heal(0);
                if (p0.active()) {
                    absorbed++; // the transport reconnected before any write failed on it: no failover needed
                    continue;
                }
                await("path 0's transport back after kill " + (k + 1), 60, () -> rig.ready(p0.device()));
                long before = p0.ioStats().ops(BioOp.WRITE);
                dm.message(name, 0, List.of("reinstate_path", p0.name()));
                dm.message(name, 0, List.of("switch_group", "1"));
                await("I/O on path 0 again after kill " + (k + 1), 60, () -> p0.ioStats().ops(BioOp.WRITE) > before + WRITERS);
                if ((k + 1) % 10 == 0) {
                    System.out.printf("  %s: %d/%d kills, next I/O p50 so far %.2f ms%n", kind, k + 1, kills,
                            pct(Arrays.copyOf(nextIo, k + 1), 50) / 1e6);
                }
            }
            stop.set(true);
            for (Thread t : workers) {
                t.join();
            }
            String status = md.activeTable().lines(StatusType.INFO).getFirst();
            dm.remove(name, false, false);
            return new Stalls(kind, kills, absorbed, sorted(nextIo), sorted(inFlight), sorted(noticed), ios.get(), errors.get(),
                    firstError.isEmpty() ? "" : firstError.getFirst(), status);
        }
    }

    private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("gave up waiting " + seconds + " s for " + what);
            }
            Thread.sleep(1);
        }
    }

    // ---- multibus vs single path ----

    private static Throughput throughput(PathRig rig, int rounds, long seconds) throws Exception {
        double[] multi = new double[rounds];
        double[] single = new double[rounds];
        double[] ratios = new double[rounds];
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.addProvider(rig.provider());
            // one arg per path (repeat_count 1, multipath.conf's rr_min_io_rq default)
            MappedDevice two = dm.create("mb", "", "0 " + rig.sectors() + " multipath 0 0 1 1 " + SELECTOR + " 2 1 " + rig.url(0)
                    + " 1 " + rig.url(1) + " 1", false);
            MappedDevice one = dm.create("sp", "", "0 " + rig.sectors() + " multipath 0 0 1 1 " + SELECTOR + " 1 1 " + rig.url(0) + " 1", false);
            System.out.println("multibus table: " + two.activeTable().lines(StatusType.TABLE).getFirst());
            System.out.println("single-path table: " + one.activeTable().lines(StatusType.TABLE).getFirst());
            // warm-up as long as a round: after 1 s the JIT was still compiling, and round 1's first map paid for it
            run(two, rig.sectors(), seconds, null, false);
            run(one, rig.sectors(), seconds, null, false);
            for (int r = 0; r < rounds; r++) {
                // alternate which goes first, so neither always runs on a warmer machine
                String[] cost = new String[2];
                boolean counted = r > 0; // perf counts from round 2 on (round 1 still compiles)
                if (r % 2 == 0) {
                    multi[r] = run(two, rig.sectors(), seconds, cost, counted && PerfWindow.COUNTS_MULTIBUS);
                    single[r] = run(one, rig.sectors(), seconds, cost, counted && PerfWindow.COUNTS_SINGLE);
                } else {
                    single[r] = run(one, rig.sectors(), seconds, cost, counted && PerfWindow.COUNTS_SINGLE);
                    multi[r] = run(two, rig.sectors(), seconds, cost, counted && PerfWindow.COUNTS_MULTIBUS);
                }
                ratios[r] = multi[r] / single[r];
                System.out.printf("  round %d: multibus 2 paths %.0f IOPS, 1 path %.0f IOPS, ratio %.3f (load %s)%n", r + 1, multi[r], single[r],
                        ratios[r], loadAverage());
                System.out.println("    multibus: " + cost[r % 2 == 0 ? 0 : 1]);
                System.out.println("    1 path:   " + cost[r % 2 == 0 ? 1 : 0]);
            }
            PerfWindow.report();
            dm.remove("mb", false, false);
            dm.remove("sp", false, false);
        }
        return new Throughput(multi, single, ratios);
    }

    /**
     * IOPS of 4 KiB random reads at queue depth 32 for {@code seconds}; the process's cost per I/O
     * goes to the first free slot of {@code cost} (when given); with {@code perf}, inside a window
     * of an attached {@code perf stat} (see {@link PerfWindow}).
     */
    private static double run(BlockDevice dev, long sectors, long seconds, String[] cost, boolean perf) {
        int qd = 32;
        ByteBuffer[] bufs = new ByteBuffer[qd];
        for (int i = 0; i < qd; i++) {
            bufs[i] = ByteBuffer.allocateDirect(4096);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long start = System.nanoTime();
        CompletableFuture<?>[] fs = new CompletableFuture<?>[qd];
        ProcCounters before = cost == null ? null : ProcCounters.now();
        if (perf) {
            PerfWindow.enable();
        }
        if (STEADY) {
            n = steady(dev, sectors, bufs, end);
        } else {
            while (System.nanoTime() < end) {
                for (int i = 0; i < qd; i++) {
                    long sector = ThreadLocalRandom.current().nextLong(sectors >> 3) << 3;
                    fs[i] = dev.submit(Bio.read(sector, bufs[i].clear()));
                }
                CompletableFuture.allOf(fs).join();
                n += qd;
            }
        }
        double iops = n / ((System.nanoTime() - start) / 1e9);
        if (perf) {
            PerfWindow.disable(n);
        }
        if (cost != null) {
            cost[cost[0] == null ? 0 : 1] = ProcCounters.now().perIo(before, n);
        }
        return iops;
    }

    /**
     * Keeps {@code bufs.length} reads in flight until {@code end}: each completion is replaced at
     * once by a new read from this thread, as fio keeps its queue full. Returns the reads done.
     */
    private static long steady(BlockDevice dev, long sectors, ByteBuffer[] bufs, long end) {
        int qd = bufs.length;
        ArrayBlockingQueue<Integer> done = new ArrayBlockingQueue<>(qd);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int i = 0; i < qd; i++) {
            read(dev, sectors, bufs, i, done, failed);
        }
        long n = 0;
        int inFlight = qd;
        boolean stopping = false;
        try {
            while (inFlight > 0) {
                int slot = done.take();
                inFlight--;
                n++;
                if (failed.get() != null) {
                    throw new IllegalStateException("read failed", failed.get());
                }
                stopping = stopping || System.nanoTime() >= end;
                if (!stopping) {
                    read(dev, sectors, bufs, slot, done, failed);
                    inFlight++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return n;
    }

    private static void read(BlockDevice dev, long sectors, ByteBuffer[] bufs, int slot, ArrayBlockingQueue<Integer> done,
                             AtomicReference<Throwable> failed) {
        long sector = ThreadLocalRandom.current().nextLong(sectors >> 3) << 3;
        dev.submit(Bio.read(sector, bufs[slot].clear())).whenComplete((v, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
            done.add(slot);
        });
    }

    // ---- report ----

    private static void summary(String mode, PathRig rig, List<Stalls> stalls, Throughput t, String loadBefore, String loadAfter) {
        System.out.println();
        System.out.println("## multipath failover, mode " + mode + (rig.timeoutMillis() > 0 ? ", transport timeout " + rig.timeoutMillis() + " ms" : ""));
        System.out.println("load average before: " + loadBefore + "; after: " + loadAfter);
        System.out.println();
        System.out.println("| kill | kills | next I/O p50 | p99 | max | in-flight I/O wait p50 | p99 | max | writes | I/O errors | goal |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Stalls s : stalls) {
            String goal = s.kind() == PathRig.Kill.RESET
                    ? "p99 < 50 ms: " + (pct(s.nextIo(), 99) < 50_000_000L ? "met" : "NOT met")
                    : "resumed within timeout + 50 ms: " + (s.nextIo()[s.kills() - 1] < (rig.timeoutMillis() + 50) * 1_000_000L
                    ? "met" : "NOT met (max " + ms(s.nextIo()[s.kills() - 1]) + ")");
            System.out.printf("| %s | %d | %s | %s | %s | %s | %s | %s | %d | %d | %s |%n", s.kind().name().toLowerCase(Locale.ROOT),
                    s.kills(), ms(pct(s.nextIo(), 50)), ms(pct(s.nextIo(), 99)), ms(s.nextIo()[s.kills() - 1]),
                    ms(pct(s.inFlight(), 50)), ms(pct(s.inFlight(), 99)), ms(s.inFlight()[s.kills() - 1]), s.ios(), s.errors(), goal);
        }
        for (Stalls s : stalls) {
            if (s.errors() > 0) {
                System.out.println("first I/O error (" + s.kind() + "): " + s.firstError());
            }
            if (s.kind() == PathRig.Kill.RESET) {
                System.out.println("reset noticed by the initiator/host (kill to connection seen lost): p50 " + ms(pct(s.noticed(), 50))
                        + ", p99 " + ms(pct(s.noticed(), 99)));
            }
            if (s.absorbed() > 0) {
                System.out.println(s.absorbed() + " of the " + s.kind() + " kills were absorbed by the transport reconnecting (no path failed)");
            }
            System.out.println("status after the " + s.kind().name().toLowerCase(Locale.ROOT) + " kills: " + s.status());
        }
        double[] ratios = t.ratios().clone();
        double[] multi = t.multi().clone();
        double[] single = t.single().clone();
        Arrays.sort(ratios);
        Arrays.sort(multi);
        Arrays.sort(single);
        System.out.println();
        System.out.println("| 4 KiB random read QD32, " + SELECTOR + " | rounds | multibus median IOPS | single path median IOPS | median of per-round ratios | per-round ratios | goal >= 0.95 |");
        System.out.println("|---|---|---|---|---|---|---|");
        StringBuilder per = new StringBuilder();
        for (double r : t.ratios()) {
            per.append(String.format(Locale.ROOT, "%.3f ", r));
        }
        double med = median(ratios);
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.3f | %s| %s |%n", mode, ratios.length, median(multi), median(single),
                med, per, med >= 0.95 ? "met" : "NOT met");
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long[] sorted(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    static long pct(long[] values, int p) {
        long[] s = sorted(values);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
