package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.io.BlockDevice;

/**
 * One path of a priority group, as the kernel's struct pgpath: the device, whether it is active,
 * and how often it has failed. State changes happen under the owning map's lock.
 */
public final class PgPath {
    private final PriorityGroup group;
    private final DeviceRef ref;
    private volatile boolean active = true;
    private volatile int failCount;

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

    void markFailed() {
        active = false;
        failCount++;
    }

    void markActive() {
        active = true;
    }

    @Override
    public String toString() {
        return name();
    }
}
