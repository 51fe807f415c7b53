package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds and validates a table as the kernel's dm_table_add_target / dm_table_complete do.
 * Any failure releases everything taken so far and reports the reason in the kernel's words.
 */
final class TableBuilder {
    /** An area of an underlying device a target said it uses. */
    private record Area(int entry, DeviceRef ref, long start, long length) {
    }

    private final DeviceMapper dm;
    private final MappedDevice md;
    private final boolean readOnly;
    private final List<Table.Entry> entries = new ArrayList<>();
    private final List<DeviceRef> devices = new ArrayList<>();
    private final List<Area> areas = new ArrayList<>();

    TableBuilder(DeviceMapper dm, MappedDevice md, boolean readOnly) {
        this.dm = dm;
        this.md = md;
        this.readOnly = readOnly;
    }

    Table build(List<TableLine> lines) throws DmException {
        try {
            for (TableLine line : lines) {
                add(line);
            }
            return complete();
        } catch (DmException e) {
            entries.forEach(en -> en.target().close());
            devices.forEach(DeviceRef::release);
            throw e;
        }
    }

    private String mdName() {
        return md.devT().toString();
    }

    private DmException invalid(String detail) {
        return new DmException(DmException.EINVAL, detail);
    }

    private void add(TableLine line) throws DmException {
        if (line.length() == 0) {
            throw invalid(mdName() + ": zero-length target");
        }
        TargetType type = dm.targets().load(line.type())
                .orElseThrow(() -> invalid(mdName() + ": " + line.type() + ": unknown target type"));
        long expected = entries.isEmpty() ? 0 : entries.getLast().end();
        if (line.start() != expected) {
            throw invalid(mdName() + ": " + line.type() + ": Gap in table (-EINVAL)");
        }
        Context ctx = new Context(line);
        Target target;
        try {
            target = type.construct(ctx, line.args());
        } catch (TargetException e) {
            String errno = e.errno() == DmException.ENODEV ? "ENODEV" : "EINVAL";
            throw new DmException(e.errno() == DmException.ENODEV ? DmException.ENODEV : DmException.EINVAL,
                    mdName() + ": " + line.type() + ": " + e.getMessage() + " (-" + errno + ")");
        } catch (RuntimeException e) {
            throw invalid(mdName() + ": " + line.type() + ": " + e + " (-EINVAL)");
        }
        entries.add(new Table.Entry(line.start(), line.length(), type, target));
    }

    /**
     * As dm_calculate_queue_limits: per target, the areas of its devices are checked against the
     * largest logical block size among them (too small first, then start, then length); then every
     * table line against the largest logical block size of the whole table.
     */
    private Table complete() throws DmException {
        if (entries.isEmpty()) {
            throw invalid(mdName() + ": table load rejected: no targets");
        }
        int lbs = Bio.SECTOR_SIZE;
        for (int i = 0; i < entries.size(); i++) {
            int targetLbs = Bio.SECTOR_SIZE;
            for (Area a : areas) {
                if (a.entry() == i) {
                    targetLbs = Math.max(targetLbs, a.ref().device().logicalBlockSize());
                }
            }
            for (Area a : areas) {
                if (a.entry() == i) {
                    checkArea(a, targetLbs);
                }
            }
            lbs = Math.max(lbs, targetLbs);
        }
        long perBlock = lbs / Bio.SECTOR_SIZE;
        for (int i = 0; i < entries.size(); i++) {
            Table.Entry e = entries.get(i);
            if (e.start() % perBlock != 0 || e.length() % perBlock != 0) {
                throw invalid(mdName() + ": table line " + i + " (start sect " + e.start() + " len " + e.length()
                        + ") not aligned to h/w logical block size " + lbs);
            }
        }
        return new Table(entries, devices, readOnly, lbs);
    }

    /** As device_area_is_invalid, with the kernel's messages. */
    private void checkArea(Area a, int lbs) throws DmException {
        long devSize = a.ref().device().sizeSectors();
        if (devSize == 0) {
            return;
        }
        String dev = a.ref().kernelName();
        if (a.start() < 0 || a.length() < 0 || a.start() >= devSize || a.start() + a.length() > devSize
                || a.start() + a.length() < a.start()) {
            throw invalid(mdName() + ": " + dev + " too small for target: start=" + a.start()
                    + ", len=" + a.length() + ", dev_size=" + devSize);
        }
        long blk = lbs / Bio.SECTOR_SIZE;
        if (a.start() % blk != 0) {
            throw invalid(mdName() + ": start=" + a.start() + " not aligned to h/w logical block size " + lbs + " of " + dev);
        }
        if (a.length() % blk != 0) {
            throw invalid(mdName() + ": len=" + a.length() + " not aligned to h/w logical block size " + lbs + " of " + dev);
        }
    }

    private final class Context implements TargetContext {
        private final TableLine line;

        Context(TableLine line) {
            this.line = line;
        }

        @Override
        public long begin() {
            return line.start();
        }

        @Override
        public long length() {
            return line.length();
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public DeviceRef getDevice(String spec, long startSector, long lengthSectors) throws TargetException {
            DeviceRef ref;
            try {
                ref = dm.acquire(spec, readOnly, md);
            } catch (DmException e) {
                // dm_get_device fails with ENODEV when nothing answers to the name
                throw new TargetException("Device lookup failed",
                        e.errno() == DmException.EINVAL ? DmException.EINVAL : DmException.ENODEV);
            }
            devices.add(ref);
            areas.add(new Area(entries.size(), ref, startSector, lengthSectors));
            return ref;
        }

        @Override
        public String deviceName() {
            return md.name();
        }

        @Override
        public void triggerEvent() {
            md.raiseEvent();
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return dm.scheduler();
        }
    }
}
