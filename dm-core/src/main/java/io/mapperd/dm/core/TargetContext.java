package io.mapperd.dm.core;

import java.util.concurrent.ScheduledExecutorService;

/** What a constructor may ask of the table being built, as the kernel's dm_target/dm_table helpers. */
public interface TargetContext {
    /** First sector of this target in the mapped device. */
    long begin();

    /** Length of this target in sectors. */
    long length();

    /** The table is loaded read-only (dmsetup --readonly). */
    boolean readOnly();

    /**
     * Opens a device named by path, /dev/mapper/NAME, MAJOR:MINOR or URL, as dm_get_device, and
     * records that the target uses {@code lengthSectors} sectors of it from {@code startSector}
     * (checked against its size when the table is complete).
     */
    DeviceRef getDevice(String spec, long startSector, long lengthSectors) throws TargetException;

    /** The mapped device's name, for log lines. */
    String deviceName();

    /** Raises a device event (dm_table_event): `dmsetup wait` returns, the daemon looks. */
    void triggerEvent();

    /** Whether the mapped device accounts I/O (targets with their own counters, like multipath's per path, follow it). */
    default boolean ioStatsEnabled() {
        return true;
    }

    /** Timers for targets that delay or poll (delay, flakey intervals). */
    ScheduledExecutorService scheduler();
}
