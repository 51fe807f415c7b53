package io.mapperd.multipathd.dmsetup;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.Table;
import io.mapperd.dm.io.DevT;

/** What DM_DEV_STATUS tells about a device (struct dm_info), taken at one moment. */
record DeviceInfo(String name, String uuid, DevT devT, boolean suspended, boolean readOnly, boolean live,
                  boolean inactive, int openCount, long eventNr, int targetCount, boolean deferredRemove,
                  long readAhead) {
    static DeviceInfo of(MappedDevice md) {
        Table t = md.activeTable();
        return new DeviceInfo(md.dmName(), md.uuid(), md.devT(), md.suspended(), t != null && t.readOnly(), t != null,
                md.inactiveTable() != null, md.openCount(), md.eventNr(), t == null ? 0 : t.entries().size(),
                md.deferredRemove(), ReadAhead.sectors(md));
    }

    /** The 'Stat' column of `info -c`: Live, Inactive, suspended, read-only/writeable. */
    String attr() {
        return (live ? "L" : "-") + (inactive ? "I" : "-") + (suspended ? "s" : "-") + (readOnly ? "r" : "w");
    }
}
