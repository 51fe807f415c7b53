package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.Extent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * unstriped: {@code <#stripes> <chunk size> <stripe #> <dev> <offset>}, as dm-unstripe.c (1.1.0):
 * exposes one member of a striped set (RAID-0) as its own device. Target chunk {@code n} reads
 * chunk {@code n * #stripes + stripe#} of the striped device.
 * <p>
 * Like the kernel, the row is computed from the sector in the mapped device (not from the target's
 * own offset), so a target that does not start at sector 0 maps as the kernel maps it.
 */
public final class UnstripedTarget implements Target {
    public static final TargetType TYPE = new KernelTargetType("unstriped", 1, 1, 0, UnstripedTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (argv.size() != 5) {
            throw new TargetException("Invalid number of arguments");
        }
        long stripes = KernelNumbers.nonZeroUint(argv.get(0), "Invalid stripe count");
        long chunk = KernelNumbers.nonZeroUint(argv.get(1), "Invalid chunk_size");
        long stripe = KernelNumbers.kstrtouint(argv.get(2), "Invalid stripe number");
        if (stripe > stripes && stripes > 1) {
            throw new TargetException("Please provide stripe between [0, # of stripes]");
        }
        long start;
        boolean startOk = true;
        try {
            start = KernelNumbers.sector(argv.get(4), "Invalid striped device offset");
        } catch (TargetException e) {
            start = 0;
            startOk = false;
        }
        DeviceRef dev = KernelDevices.getOrEinval(ctx, argv.get(3), start, ctx.length(), "Couldn't get striped device");
        if (!startOk) {
            throw new TargetException("Invalid striped device offset");
        }
        if (ctx.length() % chunk != 0) {
            throw new TargetException("Target length not divisible by chunk size");
        }
        return new UnstripedTarget(dev, start, stripes, chunk, stripe, ctx.begin());
    }

    private final DeviceRef dev;
    private final long start;
    private final long stripes;
    private final long chunk;
    private final long stripe;
    private final long begin;
    private final long width;
    private final long offset;

    private UnstripedTarget(DeviceRef dev, long start, long stripes, long chunk, long stripe, long begin) {
        this.dev = dev;
        this.start = start;
        this.stripes = stripes;
        this.chunk = chunk;
        this.stripe = stripe;
        this.begin = begin;
        this.width = (stripes - 1) * chunk;
        this.offset = stripe * chunk;
    }

    /** The kernel's map_to_core, from a target-relative sector. */
    private long toCore(long sector) {
        long s = begin + sector;
        return start + s + width * (s / chunk) + offset;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        if (bio.op() == BioOp.FLUSH) {
            return dev.device().submit(bio);
        }
        long s = bio.sector();
        long first = Math.min(bio.sectors(), chunk - s % chunk);
        if (first == bio.sectors()) {
            return dev.device().submit(bio.at(toCore(s)));
        }
        // The kernel's max_io_len splits at chunk boundaries of the target's own offset; so do we.
        int parts = (int) (1 + (bio.sectors() - first + chunk - 1) / chunk);
        CompletableFuture<?>[] fs = new CompletableFuture<?>[parts];
        long done = 0;
        for (int p = 0; p < parts; p++) {
            long at = s + done;
            long n = Math.min(bio.sectors() - done, chunk - at % chunk);
            fs[p] = dev.device().submit(bio.slice(done, n, toCore(at)));
            done += n;
        }
        return CompletableFuture.allOf(fs);
    }

    @Override
    public String status(StatusType type) {
        return type == StatusType.TABLE ? stripes + " " + chunk + " " + stripe + " " + dev.devT() + " " + start : "";
    }

    @Override
    public boolean supportsDiscard() {
        return dev.device().supportsDiscard();
    }

    @Override
    public boolean supportsWriteZeroes() {
        return dev.device().supportsWriteZeroes();
    }

    @Override
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        long n = Math.min(sectors, chunk - sector % chunk);
        return dev.device().blockStatus(toCore(sector), n);
    }
}
