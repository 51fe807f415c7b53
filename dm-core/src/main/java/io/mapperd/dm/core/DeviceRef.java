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

    /**
     * The name the kernel gives the device in its messages and sysfs: dm-N for a mapped device,
     * loopN for a file (it stands for a loop device, 7:N), else the node's own name (sdb, nvme0n1).
     */
    public String kernelName() {
        if (device instanceof MappedDevice m) {
            return "dm-" + m.devT().minor();
        }
        if (device.devT().major() == DevT.LOOP_MAJOR) {
            return "loop" + device.devT().minor();
        }
        String n = device.name();
        int slash = n.lastIndexOf('/');
        return slash >= 0 ? n.substring(slash + 1) : n;
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
