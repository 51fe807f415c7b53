package io.mapperd.dm.core;

import io.mapperd.dm.core.stats.IoStats;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.CompletionClock;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.Extent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mapped device, as the kernel's struct mapped_device: a name, a uuid, a dev_t (253:minor), a live
 * and an inactive table, and the suspend gate. Bios are counted while in flight; while suspended,
 * new bios wait in the deferred list (they never fail for it) and are dispatched on resume.
 * It is itself a BlockDevice, so a mapped device can sit under another one.
 */
public final class MappedDevice implements BlockDevice {
    private final DeviceMapper dm;
    private final DevT devT;
    private volatile String name;
    private volatile String uuid;
    private final AtomicLong eventNr = new AtomicLong();
    private final AtomicInteger openCount = new AtomicInteger();
    /*
     * The suspend gate, as the kernel's per-cpu pending counts: bios that passed the gate and bios
     * that left (completed, or bounced back to wait). Both only grow, and a bio leaves after it
     * entered, so exited read before entered being equal means nothing was in flight at that point.
     * Two adders keep the submitter's and the I/O threads' updates off one contended counter.
     */
    private final LongAdder entered = new PaddedAdder();
    private final LongAdder exited = new PaddedAdder();
    private final Object lock = new Object();
    private final ArrayDeque<MappedBio> deferred = new ArrayDeque<>();
    private final List<CompletableFuture<Long>> eventWaiters = new ArrayList<>();
    private volatile Table active;
    private volatile Table inactive;
    private volatile boolean suspended;
    private volatile boolean inactiveReadOnly;
    private volatile boolean deferredRemove;
    private volatile boolean diskAdded;
    private CompletableFuture<Void> drained;
    private final IoStats ioStats = new IoStats();
    /** Start time of a bio submitted with accounting off (System.nanoTime() returning it is harmless: one bio not counted). */
    private static final long NO_STATS = Long.MIN_VALUE;
    private volatile boolean ioStatsEnabled = true;

    MappedDevice(DeviceMapper dm, String name, String uuid, DevT devT) {
        this.dm = dm;
        this.name = name;
        this.uuid = uuid == null ? "" : uuid;
        this.devT = devT;
    }

    @Override
    public String name() {
        return "/dev/mapper/" + name;
    }

    /** The device's own name (what dmsetup lists). */
    public String dmName() {
        return name;
    }

    public String uuid() {
        return uuid;
    }

    void rename(String newName) {
        this.name = newName;
    }

    void setUuid(String newUuid) {
        this.uuid = newUuid;
    }

    @Override
    public DevT devT() {
        return devT;
    }

    public long eventNr() {
        return eventNr.get();
    }

    public int openCount() {
        return openCount.get();
    }

    public boolean suspended() {
        return suspended;
    }

    public Table activeTable() {
        return active;
    }

    public Table inactiveTable() {
        return inactive;
    }

    /**
     * Whether the device's block device exists: the kernel adds the disk when the first table is
     * loaded, so a device created without a table has no node or sysfs entry until then.
     */
    public boolean diskAdded() {
        return diskAdded;
    }

    public boolean deferredRemove() {
        return deferredRemove;
    }

    void markDeferredRemove(boolean on) {
        deferredRemove = on;
    }

    /** I/O accounting of bios completed by this device (read by the daemon's metrics). */
    public IoStats ioStats() {
        return ioStats;
    }

    public boolean ioStatsEnabled() {
        return ioStatsEnabled;
    }

    /** Turns I/O accounting on or off (the kernel's queue/iostats); on by default. */
    public void setIoStatsEnabled(boolean on) {
        ioStatsEnabled = on;
    }

    /** Bios in flight now (for tests and `info`). */
    public long inflight() {
        long out = exited.sum();
        return entered.sum() - out;
    }

    @Override
    public long sizeSectors() {
        Table t = active;
        return t == null ? 0 : t.sizeSectors();
    }

    @Override
    public int logicalBlockSize() {
        Table t = active;
        return t == null ? Bio.SECTOR_SIZE : t.logicalBlockSize();
    }

    @Override
    public boolean readOnly() {
        Table t = active;
        return t == null ? inactiveReadOnly : t.readOnly();
    }

    @Override
    public boolean supportsFlush() {
        Table t = active;
        return t != null && t.supportsFlush();
    }

    @Override
    public boolean acceptsSegments() {
        Table t = active;
        return t != null && t.acceptsSegments();
    }

    @Override
    public boolean supportsDiscard() {
        Table t = active;
        return t != null && t.supportsDiscard();
    }

    @Override
    public boolean supportsWriteZeroes() {
        Table t = active;
        return t != null && t.supportsWriteZeroes();
    }

    /** An opener (an NBD client, a table above): counts toward the open count that blocks remove. */
    public void open() {
        openCount.incrementAndGet();
    }

    public void close() {
        if (openCount.decrementAndGet() == 0 && deferredRemove) {
            dm.removeDeferred(this);
        }
    }

    @Override
    public CompletableFuture<Void> submit(Bio bio) {
        MappedBio io = new MappedBio(bio, null);
        dispatch(io);
        return io;
    }

    /** A bio from a table above: completes through {@code done}, without a future. */
    @Override
    public void submit(Bio bio, BioCompletion done) {
        dispatch(new MappedBio(bio, done));
    }

    /**
     * One bio through this device: the future its submitter holds (or the completion of the layer
     * above), and the completion the table calls, in one object. It carries what completion needs:
     * the bio (for stats and requeue) and its start time.
     */
    private final class MappedBio extends CompletableFuture<Void> implements BioCompletion {
        private final Bio bio;
        private final BioCompletion up;
        /** System.nanoTime() at dispatch, or NO_STATS; written before the table sees the bio. */
        private long start;

        MappedBio(Bio bio, BioCompletion up) {
            this.bio = bio;
            this.up = up;
        }

        @Override
        public void bioDone(Throwable ex) {
            if (ex != null && BioException.statusOf(ex) == BlkStatus.DM_REQUEUE) {
                requeue(this);
                exit();
                return;
            }
            if (start != NO_STATS) {
                ioStats.record(bio.op(), bio.bytes(), CompletionClock.now() - start, ex != null);
            }
            // as the kernel's dm_io_complete: the bio leaves the in-flight count before its submitter hears of it
            exit();
            finish(ex == null ? null : BioException.of(ex));
        }

        /** Tells the submitter: null for success, else the failure. */
        void finish(BioException error) {
            if (up != null) {
                up.bioDone(error);
            } else if (error == null) {
                complete(null);
            } else {
                completeExceptionally(error);
            }
        }
    }

    private void dispatch(MappedBio io) {
        while (true) {
            // a bio that finds the device suspended waits without entering the gate: only bios racing
            // the suspend itself enter and bounce back out (as the kernel tests DMF_BLOCK_IO_FOR_SUSPEND first)
            if (!suspended) {
                entered.increment();
                if (!suspended) {
                    break;
                }
                exit();
            }
            synchronized (lock) {
                if (suspended) {
                    deferred.add(io);
                    return;
                }
            }
        }
        Bio bio = io.bio;
        Table t = active;
        if (t == null) {
            exit();
            io.finish(new BioException(BlkStatus.IOERR, name + ": no table loaded"));
            return;
        }
        if (t.readOnly() && bio.op().isWrite() && bio.op() != BioOp.FLUSH) {
            exit();
            io.finish(new BioException(BlkStatus.IOERR, name + " is read-only"));
            return;
        }
        io.start = ioStatsEnabled ? System.nanoTime() : NO_STATS;
        try {
            if (bio.vectored() && !t.acceptsSegments()) {
                SegmentBounce.map(t, bio).whenComplete((v, ex) -> io.bioDone(ex));
            } else {
                t.map(bio, io);
            }
        } catch (RuntimeException e) {
            io.bioDone(e);
        }
    }

    /** A bio left the gate (completed or went to wait); while suspending, the last one out says so. */
    private void exit() {
        exited.increment();
        if (suspended) {
            signalIfDrained();
        }
    }

    private void signalIfDrained() {
        CompletableFuture<Void> d;
        synchronized (lock) {
            d = drained;
        }
        if (d != null && quiescent()) {
            d.complete(null);
        }
    }

    /** No bio in flight: exits read first, so entries after that read can only make this false. */
    private boolean quiescent() {
        long out = exited.sum();
        return entered.sum() == out;
    }

    private void requeue(MappedBio io) {
        synchronized (lock) {
            if (suspended) {
                deferred.add(io);
                return;
            }
        }
        dm.scheduler().execute(() -> dispatch(io));
    }

    /**
     * Stops new I/O (it waits) and completes when in-flight bios are done. With noflush, targets
     * hand back what they hold (multipath's queue) to be resubmitted after resume instead.
     * Suspending a suspended device is a no-op.
     */
    CompletableFuture<Void> suspend(boolean noflush) {
        CompletableFuture<Void> d;
        synchronized (lock) {
            if (suspended) {
                return drained == null ? CompletableFuture.completedFuture(null) : drained;
            }
            drained = new CompletableFuture<>();
            d = drained;
            suspended = true;
        }
        Table t = active;
        if (t != null) {
            t.presuspend(noflush);
        }
        if (quiescent()) {
            d.complete(null);
        }
        return d.thenRun(() -> {
            if (t != null) {
                t.postsuspend();
            }
        });
    }

    void load(Table t, boolean readOnly) {
        Table old;
        synchronized (lock) {
            old = inactive;
            inactive = t;
            inactiveReadOnly = readOnly;
            diskAdded = true;
        }
        if (old != null) {
            old.destroy();
        }
    }

    /** Drops the inactive table; returns whether there was one. */
    boolean clearInactive() {
        Table old;
        synchronized (lock) {
            old = inactive;
            inactive = null;
        }
        if (old != null) {
            old.destroy();
        }
        return old != null;
    }

    /**
     * Makes the inactive table live (suspending first if needed, as the kernel does), then lets
     * waiting bios through. Without an inactive table it only resumes.
     */
    void resume() {
        Table next = inactive;
        if (next != null) {
            if (!suspended) {
                suspend(false).join();
            }
            Table old;
            synchronized (lock) {
                old = active;
                active = next;
                inactive = null;
            }
            if (old != null) {
                old.destroy();
            }
        }
        if (!suspended) {
            return;
        }
        Table t = active;
        if (t != null) {
            t.resume();
        }
        List<MappedBio> waiting;
        synchronized (lock) {
            suspended = false;
            drained = null;
            waiting = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (MappedBio w : waiting) {
            dispatch(w);
        }
    }

    /** Swaps in {@code t} and resumes (used by remove --force to install an error table). */
    void replaceLive(Table t) {
        load(t, false);
        resume();
    }

    /** A device event (dm_table_event): bumps the counter and wakes `dmsetup wait`. */
    void raiseEvent() {
        long nr = eventNr.incrementAndGet();
        List<CompletableFuture<Long>> ws;
        synchronized (lock) {
            ws = new ArrayList<>(eventWaiters);
            eventWaiters.clear();
        }
        ws.forEach(w -> w.complete(nr));
        dm.fireEvent(this);
    }

    /** Completes with the new event number once it differs from {@code seen}. */
    public CompletableFuture<Long> waitEvent(long seen) {
        CompletableFuture<Long> w = new CompletableFuture<>();
        synchronized (lock) {
            long now = eventNr.get();
            if (now != seen) {
                w.complete(now);
            } else {
                eventWaiters.add(w);
            }
        }
        return w;
    }

    /** Fails every bio waiting for resume (the device is going away). */
    void failDeferred() {
        List<MappedBio> waiting;
        synchronized (lock) {
            waiting = new ArrayList<>(deferred);
            deferred.clear();
        }
        waiting.forEach(w -> w.finish(new BioException(BlkStatus.IOERR, name + " removed")));
    }

    void destroy() {
        failDeferred();
        clearInactive();
        Table t = active;
        active = null;
        if (t != null) {
            t.destroy();
        }
        synchronized (lock) {
            eventWaiters.forEach(w -> w.complete(eventNr.get()));
            eventWaiters.clear();
        }
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        Table t = active;
        if (t == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return t.blockStatus(sector, sectors);
    }

    @Override
    public String toString() {
        return name + "(" + devT + ")";
    }
}
