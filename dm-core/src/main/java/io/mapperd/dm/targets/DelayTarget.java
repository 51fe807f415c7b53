package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * delay: {@code <dev> <offset> <delay> [<write dev> <write offset> <write delay> [<flush dev>
 * <flush offset> <flush delay>]]}, delays in milliseconds, as dm-delay.c (1.3.0, Linux 6.1).
 * Reads use the first set; writes (and discards) the second, flushes the third; a missing set
 * repeats the one before. Delayed bios wait on a timer, never on a thread. On suspend every
 * delayed bio is sent at once and new ones pass undelayed until resume.
 * Status INFO counts the bios delayed right now per class: {@code <reads> <writes> <flushes>}.
 */
public final class DelayTarget implements Target {
    public static final TargetType TYPE = new KernelTargetType("delay", 1, 3, 0, DelayTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        int argc = argv.size();
        if (argc != 3 && argc != 6 && argc != 9) {
            throw new TargetException("Requires exactly 3, 6 or 9 arguments");
        }
        DelayClass read = DelayClass.parse(ctx, argv, 0);
        DelayClass write = DelayClass.parse(ctx, argv, argc == 3 ? 0 : 3);
        DelayClass flush = DelayClass.parse(ctx, argv, argc == 9 ? 6 : argc == 6 ? 3 : 0);
        return new DelayTarget(argc, read, write, flush, ctx.scheduler());
    }

    /** One of the read, write and flush settings: where that kind of bio goes and how late. */
    private static final class DelayClass {
        final DeviceRef dev;
        final long start;
        final long delayMillis;
        int ops; // bios waiting now; guarded by the target

        DelayClass(DeviceRef dev, long start, long delayMillis) {
            this.dev = dev;
            this.start = start;
            this.delayMillis = delayMillis;
        }

        static DelayClass parse(TargetContext ctx, List<String> argv, int at) throws TargetException {
            long start = KernelNumbers.sector(argv.get(at + 1), "Invalid device sector");
            long delay = KernelNumbers.uint(argv.get(at + 2), "Invalid delay");
            DeviceRef dev = KernelDevices.get(ctx, argv.get(at), start, ctx.length(), "Device lookup failed");
            return new DelayClass(dev, start, delay);
        }

        String table() {
            return dev.devT() + " " + start + " " + delayMillis;
        }
    }

    /** A bio waiting for its timer. */
    private static final class Delayed {
        final DelayClass cls;
        final Bio bio;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;

        Delayed(DelayClass cls, Bio bio) {
            this.cls = cls;
            this.bio = bio;
        }
    }

    private final int argc;
    private final DelayClass read;
    private final DelayClass write;
    private final DelayClass flush;
    private final ScheduledExecutorService timers;
    private final Set<Delayed> waiting = new LinkedHashSet<>();
    private boolean mayDelay = true; // guarded by this

    private DelayTarget(int argc, DelayClass read, DelayClass write, DelayClass flush, ScheduledExecutorService timers) {
        this.argc = argc;
        this.read = read;
        this.write = write;
        this.flush = flush;
        this.timers = timers;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        DelayClass c;
        if (bio.op() == BioOp.READ) {
            c = read;
        } else if (bio.op() == BioOp.FLUSH || bio.has(Bio.PREFLUSH)) {
            c = flush;
        } else {
            c = write;
        }
        Bio remapped = bio.op() == BioOp.FLUSH ? bio : bio.at(c.start + bio.sector());
        if (c.delayMillis == 0) {
            return c.dev.device().submit(remapped);
        }
        Delayed d = new Delayed(c, remapped);
        synchronized (this) {
            if (!mayDelay) {
                return c.dev.device().submit(remapped);
            }
            c.ops++;
            waiting.add(d);
            d.timer = timers.schedule(() -> release(d), c.delayMillis, TimeUnit.MILLISECONDS);
        }
        return d.result;
    }

    /** Sends a delayed bio on; whoever (timer or suspend) comes first does it. */
    private void release(Delayed d) {
        synchronized (this) {
            if (!waiting.remove(d)) {
                return;
            }
            d.cls.ops--;
        }
        d.cls.dev.device().submit(d.bio).whenComplete((v, ex) -> {
            if (ex == null) {
                d.result.complete(null);
            } else {
                d.result.completeExceptionally(BioException.of(ex));
            }
        });
    }

    private List<Delayed> takeAll() {
        synchronized (this) {
            List<Delayed> all = new ArrayList<>(waiting);
            all.forEach(d -> d.timer.cancel(false));
            return all;
        }
    }

    @Override
    public void presuspend(boolean noflush) {
        synchronized (this) {
            mayDelay = false;
        }
        takeAll().forEach(this::release);
    }

    @Override
    public void resume() {
        synchronized (this) {
            mayDelay = true;
        }
    }

    /** The table is going away without a suspend (device removal): bios still waiting fail. */
    @Override
    public void close() {
        List<Delayed> left = takeAll();
        synchronized (this) {
            mayDelay = false;
            waiting.clear();
        }
        left.forEach(d -> d.result.completeExceptionally(new BioException(BlkStatus.IOERR, "delay target removed")));
    }

    @Override
    public String status(StatusType type) {
        if (type == StatusType.INFO) {
            synchronized (this) {
                return read.ops + " " + write.ops + " " + flush.ops;
            }
        }
        StringBuilder sb = new StringBuilder(read.table());
        if (argc >= 6) {
            sb.append(' ').append(write.table());
        }
        if (argc >= 9) {
            sb.append(' ').append(flush.table());
        }
        return sb.toString();
    }

    @Override
    public boolean supportsDiscard() {
        return write.dev.device().supportsDiscard();
    }
}
