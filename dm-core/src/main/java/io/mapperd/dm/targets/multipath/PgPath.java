package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.stats.IoStats;
import io.mapperd.dm.core.stats.PathFailReason;
import io.mapperd.dm.io.BlockDevice;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One path of a priority group, as the kernel's struct pgpath: the device, whether it is active,
 * and how often it has failed. State changes happen under the owning map's lock.
 */
public final class PgPath {
    private final PriorityGroup group;
    private final DeviceRef ref;
    private volatile boolean active = true;
    private volatile int failCount;
    private final IoStats ioStats = new IoStats();
    private final AtomicLongArray failures = new AtomicLongArray(PathFailReason.values().length);
    /** The group selector's state for this path (the kernel's pscontext), set when the path is added. */
    private volatile Object selectorInfo;

    PgPath(PriorityGroup group, DeviceRef ref) {
        this.group = group;
        this.ref = ref;
    }

    public PriorityGroup group() {
        return group;
    }

    public BlockDevice device() {
        return ref.device();
    }

    DeviceRef ref() {
        return ref;
    }

    /** MAJOR:MINOR, as status lines and messages name a path. */
    public String name() {
        return ref.devT().toString();
    }

    public boolean active() {
        return active;
    }

    public int failCount() {
        return failCount;
    }

    /** I/O sent down this path, as the path completed it (before any retry elsewhere). */
    public IoStats ioStats() {
        return ioStats;
    }

    /** How often this path was failed for {@code reason}. */
    public long failures(PathFailReason reason) {
        return failures.get(reason.ordinal());
    }

    void markFailed(PathFailReason reason) {
        active = false;
        failCount++;
        failures.incrementAndGet(reason.ordinal());
    }

    Object selectorInfo() {
        return selectorInfo;
    }

    void selectorInfo(Object info) {
        selectorInfo = info;
    }

    void markActive() {
        active = true;
    }

    @Override
    public String toString() {
        return name();
    }
}
