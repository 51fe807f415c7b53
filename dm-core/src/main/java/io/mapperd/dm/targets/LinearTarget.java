package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.Extent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** linear: {@code <dev> <offset>}; maps the range onto a device from an offset. */
public final class LinearTarget implements Target {
    public static final TargetType TYPE = new KernelTargetType("linear", 1, 4, 0, LinearTarget::construct);

    private static Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        if (argv.size() != 2) {
            throw new TargetException("Invalid argument count");
        }
        long start = TargetArgs.parseUnsigned(argv.get(1), 0, Long.MAX_VALUE, "Invalid device sector");
        DeviceRef dev = ctx.getDevice(argv.get(0), start, ctx.length());
        return new LinearTarget(dev, start);
    }

    private final DeviceRef dev;
    private final long start;

    private LinearTarget(DeviceRef dev, long start) {
        this.dev = dev;
        this.start = start;
    }

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        if (bio.op() == BioOp.FLUSH || start == 0) {
            return dev.device().submit(bio);
        }
        return dev.device().submit(bio.at(start + bio.sector()));
    }

    @Override
    public void map(Bio bio, BioCompletion done) {
        dev.device().submit(bio.op() == BioOp.FLUSH || start == 0 ? bio : bio.at(start + bio.sector()), done);
    }

    @Override
    public String status(StatusType type) {
        return type == StatusType.TABLE ? dev.devT() + " " + start : "";
    }

    @Override
    public boolean acceptsSegments() {
        return dev.device().acceptsSegments();
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
        return dev.device().blockStatus(start + sector, sectors);
    }
}
