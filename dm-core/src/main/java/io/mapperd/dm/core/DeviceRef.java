package io.mapperd.dm.core;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;

/**
 * A table's hold on an underlying device, as the kernel's struct dm_dev: the device stays open
 * (and a mapped device counts a holder) until the table that took it is destroyed.
 */
public final class DeviceRef {
    private final BlockDevice device;
    private final String spec;
    private final Runnable release;
    private boolean released;

    DeviceRef(BlockDevice device, String spec, Runnable release) {
        this.device = device;
        this.spec = spec;
        this.release = release;
    }

    public BlockDevice device() {
        return device;
    }

    public DevT devT() {
        return device.devT();
    }

    /** How the table named it. */
    public String spec() {
        return spec;
    }

    synchronized void release() {
        if (!released) {
            released = true;
            release.run();
        }
    }
}
