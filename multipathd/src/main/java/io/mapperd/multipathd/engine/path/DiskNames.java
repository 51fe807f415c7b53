package io.mapperd.multipathd.engine.path;

import io.mapperd.dm.io.DevT;

import java.util.BitSet;

/**
 * Names and numbers for the disks the daemon's own transports create, as the kernel's sd driver
 * gives them: sda, sdb, ... sdz, sdaa ...; major 8 with 16 minors per disk (the first 16 disks), and
 * SCSI host numbers. A number freed by a disk that went away is given out again.
 */
public final class DiskNames {
    private final BitSet disks = new BitSet();
    private int nextHost;

    /** The next free disk index. */
    public synchronized int allocate() {
        int i = disks.nextClearBit(0);
        disks.set(i);
        return i;
    }

    public synchronized void free(int index) {
        disks.clear(index);
    }

    public synchronized int nextHost() {
        return nextHost++;
    }

    /** sd name of disk {@code index}: 0 → sda, 25 → sdz, 26 → sdaa. */
    public static String sdName(int index) {
        StringBuilder b = new StringBuilder();
        int n = index;
        do {
            b.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return "sd" + b;
    }

    /** The kernel's sd numbering: majors 8, 65-71, 128-135 hold 16 disks each. */
    public static DevT sdDevT(int index) {
        int block = index / 16;
        int major = block == 0 ? 8 : block <= 7 ? 64 + block : 128 + (block - 8);
        return new DevT(major, (index % 16) * 16);
    }
}
