package io.mapperd.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this whole process (initiator, target-sim and load generator alike) spent, from /proc:
 * CPU time of every thread (grouped by thread name without its trailing number), context switches
 * (voluntary and not) and read/write-class system calls ({@code syscr}/{@code syscw}: socket reads
 * and writes, eventfd wake-ups; not epoll_wait). Two snapshots divided by the I/Os done between
 * them give CPU-normalised figures that hold on a busy machine, where IOPS do not.
 */
record ProcCounters(long cpuNanos, long voluntary, long involuntary, long syscr, long syscw, Map<String, Long> cpuByThread) {
    private static final long TICK_NANOS = 1_000_000_000L / 100; // USER_HZ is 100 on Linux

    static ProcCounters now() {
        long cpu = 0;
        long vol = 0;
        long invol = 0;
        Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close).replaceAll("[-#_]?\\d+$", "");
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    cpu += ticks;
                    byName.merge(name, ticks * TICK_NANOS, Long::sum);
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its counts are gone from both snapshots' view
                }
            }
        } catch (IOException e) {
            return new ProcCounters(0, 0, 0, 0, 0, Map.of());
        }
        long r = 0;
        long w = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:")) {
                    r = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    w = Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc/self/io is not readable everywhere; the syscall figures then read 0
        }
        // the process's own CPU clock is finer than the per-thread ticks; use it for the total
        long processCpu = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : cpu * TICK_NANOS;
        return new ProcCounters(processCpu, vol, invol, r, w, byName);
    }

    /** Per-I/O figures between {@code before} and this snapshot. */
    String perIo(ProcCounters before, long ios) {
        double n = Math.max(1, ios);
        StringBuilder threads = new StringBuilder();
        long total = 0;
        for (var e : cpuByThread.entrySet()) {
            total += e.getValue() - before.cpuByThread.getOrDefault(e.getKey(), 0L);
        }
        for (var e : cpuByThread.entrySet()) {
            long d = e.getValue() - before.cpuByThread.getOrDefault(e.getKey(), 0L);
            if (total > 0 && d * 20 >= total) { // threads with at least 5 % of the CPU
                threads.append(String.format(Locale.ROOT, " %s %.1f", e.getKey(), d / n / 1000));
            }
        }
        return String.format(Locale.ROOT, "CPU %.1f us/IO, cs %.2f/IO (vol %.2f, invol %.2f), syscr %.2f/IO, syscw %.2f/IO; CPU us/IO by thread:%s",
                (cpuNanos - before.cpuNanos) / n / 1000, (voluntary - before.voluntary + involuntary - before.involuntary) / n,
                (voluntary - before.voluntary) / n, (involuntary - before.involuntary) / n, (syscr - before.syscr) / n,
                (syscw - before.syscw) / n, threads);
    }
}
