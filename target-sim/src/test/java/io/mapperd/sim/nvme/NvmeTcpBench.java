package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import io.mapperd.transport.nvmetcp.NvmeTcpUrl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load through our NVMe/TCP host (bench/nvme-tcp.sh runs it against target-sim in
 * another process): {@code URL/NSID QUEUES CASE QD SECONDS TARGET_PID}, CASE one of randread4k,
 * seqread1m, seqwrite1m. Prints one line: case, queues, qd, ops/s, MiB/s, host and target CPU
 * seconds, CPU seconds per GB moved.
 */
public final class NvmeTcpBench {
    private NvmeTcpBench() {
    }

    public static void main(String[] args) throws Exception {
        NvmeTcpUrl url = NvmeTcpUrl.parse(args[0]);
        int queues = Integer.parseInt(args[1]);
        String kase = args[2];
        int qd = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        long targetPid = Long.parseLong(args[5]);
        int bs = kase.endsWith("4k") ? 4096 : 1 << 20;
        boolean write = kase.startsWith("seqwrite");
        boolean random = kase.startsWith("rand");
        NvmeTcpOptions o = NvmeTcpOptions.defaults().withIoQueues(queues).withQueueSize(Math.max(64, qd * 2));
        try (NvmeController c = NvmeController.connect(url.address(), url.subnqn(), o)) {
            NvmeNamespace ns = c.namespace(url.nsid(), new DevT(259, 0));
            long blocks = ns.sizeSectors() * 512 / bs;
            run(ns, bs, blocks, write, random, qd, Math.max(1, seconds / 3), targetPid, null); // warm-up
            StringBuilder line = new StringBuilder();
            run(ns, bs, blocks, write, random, qd, seconds, targetPid, line);
            System.out.println(kase + " queues=" + queues + " qd=" + qd + " " + line);
        }
        System.exit(0);
    }

    private static void run(NvmeNamespace ns, int bs, long blocks, boolean write, boolean random, int qd, int seconds,
                            long targetPid, StringBuilder report) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch finished = new CountDownLatch(qd);
        ByteBuffer[] bufs = new ByteBuffer[qd];
        for (int i = 0; i < qd; i++) {
            bufs[i] = ByteBuffer.allocateDirect(bs);
        }
        long cpuHost0 = cpuTicks(ProcessHandle.current().pid());
        long cpuTarget0 = cpuTicks(targetPid);
        long t0 = System.nanoTime();
        for (int i = 0; i < qd; i++) {
            issue(ns, bufs[i], bs, blocks, write, random, new SplittableRandom(i), next, done, deadline, finished);
        }
        finished.await();
        long t1 = System.nanoTime();
        double secs = (t1 - t0) / 1e9;
        double cpuHost = (cpuTicks(ProcessHandle.current().pid()) - cpuHost0) / 100.0;
        double cpuTarget = (cpuTicks(targetPid) - cpuTarget0) / 100.0;
        double gb = done.get() * (double) bs / 1e9;
        if (report != null) {
            report.append(String.format("ops/s=%.0f MiB/s=%.1f cpu_host_s=%.2f cpu_target_s=%.2f cpu_s_per_GB=%.2f",
                    done.get() / secs, done.get() * (double) bs / secs / (1 << 20), cpuHost, cpuTarget, (cpuHost + cpuTarget) / gb));
        }
    }

    private static void issue(NvmeNamespace ns, ByteBuffer buf, int bs, long blocks, boolean write, boolean random, SplittableRandom r,
                              AtomicLong next, AtomicLong done, long deadline, CountDownLatch finished) {
        if (System.nanoTime() > deadline) {
            finished.countDown();
            return;
        }
        long block = random ? r.nextLong(blocks) : next.getAndIncrement() % blocks;
        long sector = block * bs / 512;
        ByteBuffer b = buf.duplicate().clear();
        ns.submit(write ? Bio.write(sector, b, 0) : Bio.read(sector, b)).whenComplete((v, e) -> {
            if (e != null) {
                System.err.println("I/O failed: " + e);
                finished.countDown();
                return;
            }
            done.incrementAndGet();
            issue(ns, buf, bs, blocks, write, random, r, next, done, deadline, finished);
        });
    }

    /** utime + stime of a process, in clock ticks (USER_HZ = 100). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
