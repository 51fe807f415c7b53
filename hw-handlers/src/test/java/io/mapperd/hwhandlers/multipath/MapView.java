package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.targets.multipath.MultipathTarget;
import io.mapperd.dm.targets.multipath.PgPath;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What a test reads of a multipath map: its target, its paths, its status line, and waiting on them. */
final class MapView {
    private final MappedDevice dev;

    MapView(MappedDevice dev) {
        this.dev = dev;
    }

    MultipathTarget target() {
        return (MultipathTarget) dev.activeTable().entries().getFirst().target();
    }

    /** Path {@code index} (from 0) of group {@code group} (from 1). */
    PgPath path(int group, int index) {
        return target().groups().get(group - 1).paths().get(index);
    }

    /** I/Os (reads and writes) the path completed, with or without error. */
    static long ios(PgPath p) {
        return p.ioStats().ops(BioOp.READ) + p.ioStats().ops(BioOp.WRITE);
    }

    /** {@code dmsetup status} of the map (its one line). */
    String status() {
        return dev.activeTable().lines(StatusType.INFO).getFirst();
    }

    String table() {
        return dev.activeTable().lines(StatusType.TABLE).getFirst();
    }

    static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        await(what, within, done, () -> "");
    }

    static void await(String what, Duration within, BooleanSupplier done, Supplier<String> state) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + within.toMillis() + " ms for " + what + "; " + state.get());
            }
            Thread.sleep(10);
        }
    }
}
