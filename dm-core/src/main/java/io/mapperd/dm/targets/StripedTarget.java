package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.Extent;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * striped: {@code <#stripes> <chunk size> [<dev> <offset>]+}, as dm-stripe.c (1.6.0). Chunk
 * {@code n} of the target goes to stripe {@code n mod #stripes}, at chunk {@code n / #stripes}
 * of that stripe. Any non-zero chunk size is allowed as long as it divides the per-stripe width.
 * Flushes go to every stripe; discard and write-zeroes are cut into one range per stripe.
 * A stripe whose device failed I/O shows 'D' in the status and raises a device event.
 */
public final class StripedTarget implements Target {
    /** The kernel stops raising events for a stripe after this many errors. */
    private static final int IO_ERROR_THRESHOLD = 15;

    public static final TargetType TYPE = new KernelTargetType("striped", 1, 6, 0, StripedTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (argv.size() < 2) {
            throw new TargetException("Not enough arguments");
        }
        long stripes = KernelNumbers.nonZeroUint(argv.get(0), "Invalid stripe count");
        long chunk = KernelNumbers.nonZeroUint(argv.get(1), "Invalid chunk_size");
        if (ctx.length() % stripes != 0) {
            throw new TargetException("Target length not divisible by number of stripes");
        }
        long width = ctx.length() / stripes;
        if (width % chunk != 0) {
            throw new TargetException("Target length not divisible by chunk size");
        }
        if (argv.size() != 2 + 2 * stripes) {
            throw new TargetException("Not enough destinations specified");
        }
        int n = (int) stripes;
        DeviceRef[] devs = new DeviceRef[n];
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            String dev = argv.get(2 + 2 * i);
            starts[i] = KernelNumbers.sector(argv.get(3 + 2 * i), "Couldn't parse stripe destination");
            devs[i] = KernelDevices.get(ctx, dev, starts[i], width, "Couldn't parse stripe destination");
        }
        Executor events = ctx.scheduler();
        return new StripedTarget(devs, starts, chunk, () -> events.execute(ctx::triggerEvent));
    }

    private final DeviceRef[] devs;
    private final long[] starts;
    private final int stripes;
    private final long chunk;
    private final Runnable raiseEvent;
    private final AtomicIntegerArray errors;
    /** Per stripe, what a completed bio there does: count a failure (one object, not one per bio). */
    private final java.util.function.BiConsumer<Object, Throwable>[] onDone;

    private StripedTarget(DeviceRef[] devs, long[] starts, long chunk, Runnable raiseEvent) {
        this.devs = devs;
        this.starts = starts;
        this.stripes = devs.length;
        this.chunk = chunk;
        this.raiseEvent = raiseEvent;
        this.errors = new AtomicIntegerArray(devs.length);
        @SuppressWarnings("unchecked")
        java.util.function.BiConsumer<Object, Throwable>[] done = new java.util.function.BiConsumer[devs.length];
        for (int i = 0; i < done.length; i++) {
            int stripe = i;
            done[i] = (v, ex) -> {
                if (ex != null) {
                    counted(stripe, ex);
                }
            };
        }
        this.onDone = done;
    }

    /** Stripe of a target-relative sector. */
    int stripeOf(long sector) {
        return (int) ((sector / chunk) % stripes);
    }

    /** Sector within its stripe (before the stripe's offset) of a target-relative sector. */
    long stripeSector(long sector) {
        long c = sector / chunk;
        return (c / stripes) * chunk + sector % chunk;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        return switch (bio.op()) {
            case FLUSH -> flushAll(bio);
            case DISCARD, WRITE_ZEROES -> mapRanges(bio);
            case READ, WRITE -> bio.has(Bio.PREFLUSH)
                    ? flushAll(Bio.flush()).thenCompose(v -> mapData(bio.withFlags(bio.flags() & ~Bio.PREFLUSH)))
                    : mapData(bio);
        };
    }

    /**
     * The completion-callback form for READ and WRITE within at most one chunk per stripe (every
     * 4 KiB bio): each piece is submitted with a small completion that counts its stripe's failure;
     * a split bio completes through one countdown. Flushes, ranges and wider bios go through
     * {@link #map(Bio)}.
     */
    @Override
    public void map(Bio bio, BioCompletion done) {
        if ((bio.op() != BioOp.READ && bio.op() != BioOp.WRITE) || bio.has(Bio.PREFLUSH)) {
            Target.super.map(bio, done);
            return;
        }
        long s = bio.sector();
        long first = Math.min(bio.sectors(), chunk - s % chunk);
        if (first == bio.sectors()) {
            int i = stripeOf(s);
            devs[i].device().submit(bio.at(starts[i] + stripeSector(s)), new PieceDone(i, done));
            return;
        }
        int parts = (int) (1 + (bio.sectors() - first + chunk - 1) / chunk);
        if (parts > stripes) {
            Target.super.map(bio, done);
            return;
        }
        Pieces all = new Pieces(parts, done);
        long sent = 0;
        for (int p = 0; p < parts; p++) {
            long at = s + sent;
            long n = Math.min(bio.sectors() - sent, chunk - at % chunk);
            int i = stripeOf(at);
            devs[i].device().submit(bio.slice(sent, n, starts[i] + stripeSector(at)), new PieceDone(i, all));
            sent += n;
        }
    }

    /** One piece of a bio on one stripe: counts a failure against the stripe, then passes it up. */
    private final class PieceDone implements BioCompletion {
        private final int stripe;
        private final BioCompletion up;

        PieceDone(int stripe, BioCompletion up) {
            this.stripe = stripe;
            this.up = up;
        }

        @Override
        public void bioDone(Throwable errorOrNull) {
            if (errorOrNull != null) {
                counted(stripe, errorOrNull);
            }
            up.bioDone(errorOrNull);
        }
    }

    /** A bio split over several stripes: done, with the first failure seen, when its last piece is. */
    private static final class Pieces extends AtomicInteger implements BioCompletion {
        private final BioCompletion up;
        private volatile Throwable error;

        Pieces(int count, BioCompletion up) {
            super(count);
            this.up = up;
        }

        @Override
        public void bioDone(Throwable errorOrNull) {
            if (errorOrNull != null && error == null) {
                error = errorOrNull;
            }
            if (decrementAndGet() == 0) {
                up.bioDone(error);
            }
        }
    }

    private CompletableFuture<Void> mapData(Bio bio) {
        long s = bio.sector();
        long first = Math.min(bio.sectors(), chunk - s % chunk);
        if (first == bio.sectors()) {
            int i = stripeOf(s);
            return track(i, devs[i].device().submit(bio.at(starts[i] + stripeSector(s))));
        }
        int parts = (int) (1 + (bio.sectors() - first + chunk - 1) / chunk);
        if (parts > stripes) {
            return mapGathered(bio, parts);
        }
        CompletableFuture<?>[] fs = new CompletableFuture<?>[parts];
        long done = 0;
        for (int p = 0; p < parts; p++) {
            long at = s + done;
            long n = Math.min(bio.sectors() - done, chunk - at % chunk);
            int i = stripeOf(at);
            fs[p] = track(i, devs[i].device().submit(bio.slice(done, n, starts[i] + stripeSector(at))));
            done += n;
        }
        return CompletableFuture.allOf(fs);
    }

    /**
     * A bio over more chunks than there are stripes: the chunks that fall on one stripe are
     * consecutive there, so each stripe gets one bio with those chunks' buffers as segments (one
     * vectored call per device, all stripes at once), where its device takes vectored bios.
     */
    private CompletableFuture<Void> mapGathered(Bio bio, int parts) {
        Bio[][] pieces = new Bio[stripes][];
        int[] counts = new int[stripes];
        long done = 0;
        for (int p = 0; p < parts; p++) {
            long at = bio.sector() + done;
            long n = Math.min(bio.sectors() - done, chunk - at % chunk);
            int i = stripeOf(at);
            if (pieces[i] == null) {
                pieces[i] = new Bio[(parts + stripes - 1) / stripes];
            }
            pieces[i][counts[i]++] = bio.slice(done, n, starts[i] + stripeSector(at));
            done += n;
        }
        java.util.List<CompletableFuture<?>> fs = new java.util.ArrayList<>(parts);
        for (int i = 0; i < stripes; i++) {
            if (counts[i] == 0) {
                continue;
            }
            var dev = devs[i].device();
            if (counts[i] > 1 && dev.acceptsSegments()) {
                fs.add(track(i, dev.submit(gather(bio, pieces[i], counts[i]))));
            } else {
                for (int k = 0; k < counts[i]; k++) {
                    fs.add(track(i, dev.submit(pieces[i][k])));
                }
            }
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture<?>[]::new));
    }

    /** One bio at the first piece's sector with every piece's buffers, in order. */
    private static Bio gather(Bio bio, Bio[] pieces, int count) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            n += pieces[k].vectored() ? pieces[k].buffers().length : 1;
        }
        java.nio.ByteBuffer[] bufs = new java.nio.ByteBuffer[n];
        int at = 0;
        for (int k = 0; k < count; k++) {
            for (java.nio.ByteBuffer b : pieces[k].buffers()) {
                bufs[at++] = b;
            }
        }
        long sector = pieces[0].sector();
        Bio g = bio.op() == BioOp.READ ? Bio.readv(sector, bufs) : Bio.writev(sector, bio.flags(), bufs);
        return g.withFlags(bio.flags());
    }

    private CompletableFuture<Void> flushAll(Bio flush) {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[stripes];
        for (int i = 0; i < stripes; i++) {
            fs[i] = track(i, devs[i].device().submit(flush));
        }
        return CompletableFuture.allOf(fs);
    }

    /** As the kernel's stripe_map_range: one contiguous range per stripe, or nothing on it. */
    private CompletableFuture<Void> mapRanges(Bio bio) {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[stripes];
        for (int i = 0; i < stripes; i++) {
            long begin = rangeSector(bio.sector(), i);
            long end = rangeSector(bio.endSector(), i);
            if (begin < end) {
                long bytes = (end - begin) << Bio.SECTOR_SHIFT;
                Bio part = bio.op() == BioOp.DISCARD ? Bio.discard(starts[i] + begin, bytes)
                        : Bio.writeZeroes(starts[i] + begin, bytes, bio.flags());
                fs[i] = track(i, devs[i].device().submit(part));
            } else {
                fs[i] = CompletableFuture.completedFuture(null);
            }
        }
        return CompletableFuture.allOf(fs);
    }

    /** Where {@code sector} falls on {@code stripe}: its own position, or the next chunk boundary there. */
    private long rangeSector(long sector, int stripe) {
        int s = stripeOf(sector);
        long result = stripeSector(sector);
        if (s == stripe) {
            return result;
        }
        result -= result % chunk;
        if (stripe < s) {
            result += chunk;
        }
        return result;
    }

    /** Counts failures per device, as stripe_end_io: every stripe on the failed device is marked. */
    private CompletableFuture<Void> track(int stripe, CompletableFuture<Void> f) {
        return f.whenComplete(onDone[stripe]);
    }

    /** A piece on {@code stripe} failed: anything but NOTSUPP and DM_REQUEUE marks its device. */
    private void counted(int stripe, Throwable ex) {
        BlkStatus st = BioException.statusOf(ex);
        if (st != BlkStatus.NOTSUPP && st != BlkStatus.DM_REQUEUE) {
            failed(devs[stripe].devT());
        }
    }

    private void failed(DevT dev) {
        boolean event = false;
        for (int i = 0; i < stripes; i++) {
            if (devs[i].devT().equals(dev) && errors.incrementAndGet(i) < IO_ERROR_THRESHOLD) {
                event = true;
            }
        }
        if (event) {
            raiseEvent.run();
        }
    }

    @Override
    public String status(StatusType type) {
        StringBuilder sb = new StringBuilder();
        if (type == StatusType.INFO) {
            sb.append(stripes).append(' ');
            for (DeviceRef d : devs) {
                sb.append(d.devT()).append(' ');
            }
            sb.append("1 ");
            for (int i = 0; i < stripes; i++) {
                sb.append(errors.get(i) > 0 ? 'D' : 'A');
            }
        } else {
            sb.append(stripes).append(' ').append(chunk);
            for (int i = 0; i < stripes; i++) {
                sb.append(' ').append(devs[i].devT()).append(' ').append(starts[i]);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean acceptsSegments() {
        for (DeviceRef d : devs) {
            if (!d.device().acceptsSegments()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean supportsDiscard() {
        for (DeviceRef d : devs) {
            if (!d.device().supportsDiscard()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean supportsWriteZeroes() {
        for (DeviceRef d : devs) {
            if (!d.device().supportsWriteZeroes()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        int i = stripeOf(sector);
        long n = Math.min(sectors, chunk - sector % chunk);
        return devs[i].device().blockStatus(starts[i] + stripeSector(sector), n);
    }
}
