package io.mapperd.transport.iscsi.cli;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.transport.iscsi.IscsiLun;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code iscsi perf}: keeps {@code depth} bios of {@code blockBytes} in flight on a LUN for a while,
 * random or sequential, read or write, as libiscsi's iscsi-perf does for reads; prints IOPS and MiB/s.
 */
final class Perf {
    record Result(long ios, double seconds) {
        double iops() {
            return ios / seconds;
        }

        double mibPerSecond(int blockBytes) {
            return ios * (double) blockBytes / seconds / (1 << 20);
        }
    }

    private Perf() {
    }

    /** Runs for {@code ramp} + {@code seconds}; only the last {@code seconds} count (JIT and TCP warm up first). */
    static Result run(IscsiLun lun, int blockBytes, int depth, boolean random, boolean write, double ramp, double seconds,
                      PrintStream out) throws InterruptedException {
        long blocks = (lun.sizeSectors() << Bio.SECTOR_SHIFT) / blockBytes;
        if (blocks <= 0) {
            throw new IllegalArgumentException("the LUN is smaller than one " + blockBytes + "-byte block");
        }
        AtomicLong done = new AtomicLong();
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + (long) (ramp * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long doneAtRamp = -1;
        CompletableFuture<?>[] slots = new CompletableFuture<?>[depth];
        for (int i = 0; i < depth; i++) {
            ByteBuffer buf = ByteBuffer.allocateDirect(blockBytes);
            CompletableFuture<Void> slot = new CompletableFuture<>();
            slots[i] = slot;
            issue(lun, buf, blockBytes, blocks, random, write, end, done, next, failure, slot);
        }
        long lastReport = start;
        long lastDone = 0;
        while (System.nanoTime() < end && failure.get() == null) {
            Thread.sleep(100);
            long now = System.nanoTime();
            if (doneAtRamp < 0 && now >= measureFrom) {
                doneAtRamp = done.get();
                measureFrom = now;
            }
            if (now - lastReport >= 1_000_000_000L) {
                long d = done.get();
                out.printf("%5.1f s: %,d IOPS, %.1f MiB/s%n", (now - start) / 1e9, (long) ((d - lastDone) / ((now - lastReport) / 1e9)),
                        (d - lastDone) * (double) blockBytes / ((now - lastReport) / 1e9) / (1 << 20));
                lastReport = now;
                lastDone = d;
            }
        }
        long counted = done.get() - Math.max(0, doneAtRamp);
        double secs = (System.nanoTime() - measureFrom) / 1e9;
        CompletableFuture.allOf(slots).exceptionally(t -> null).join();
        if (failure.get() != null) {
            throw BioException.of(failure.get());
        }
        return new Result(counted, secs);
    }

    private static void issue(IscsiLun lun, ByteBuffer buf, int bs, long blocks, boolean random, boolean write, long end,
                              AtomicLong done, AtomicLong next, AtomicReference<Throwable> failure, CompletableFuture<Void> slot) {
        if (System.nanoTime() >= end || failure.get() != null) {
            slot.complete(null);
            return;
        }
        long block = random ? ThreadLocalRandom.current().nextLong(blocks) : next.getAndIncrement() % blocks;
        long sector = block * bs >>> Bio.SECTOR_SHIFT;
        Bio bio = write ? Bio.write(sector, buf.duplicate().clear(), 0) : Bio.read(sector, buf.duplicate().clear());
        lun.submit(bio).whenComplete((v, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
                slot.complete(null);
                return;
            }
            done.incrementAndGet();
            issue(lun, buf, bs, blocks, random, write, end, done, next, failure, slot);
        });
    }
}
