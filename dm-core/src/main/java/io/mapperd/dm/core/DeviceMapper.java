package io.mapperd.dm.core;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The device-mapper itself: the registry of mapped devices and the operations the kernel offers
 * through its ioctls (create, load, clear, suspend, resume, remove, rename, message, wait).
 * Control operations are serialised; I/O never takes this lock.
 */
public final class DeviceMapper implements AutoCloseable {
    public static final int NAME_LEN = 128;
    public static final int UUID_LEN = 129;

    /** An underlying device held open by tables, with its reference count. */
    private static final class Held {
        final BlockDevice device;
        final Runnable closer;
        int refs;

        Held(BlockDevice device, Runnable closer) {
            this.device = device;
            this.closer = closer;
        }
    }

    private final TargetRegistry targets;
    private final ScheduledExecutorService scheduler;
    private final Map<String, MappedDevice> byName = new TreeMap<>();
    private final Map<Integer, MappedDevice> byMinor = new TreeMap<>();
    private final Map<String, Held> heldByKey = new HashMap<>();
    private final Map<String, DevT> fileDevTs = new HashMap<>();
    private final Map<String, Integer> fileBlockSizes = new HashMap<>();
    private final Map<String, DeviceProvider> providers = new HashMap<>();
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<DevT, BlockDevice> blockDevices = new java.util.concurrent.ConcurrentHashMap<>();
    private int nextFileMinor;

    public DeviceMapper(TargetRegistry targets) {
        this.targets = targets;
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("dm-timer-", 0).factory());
    }

    public DeviceMapper() {
        this(TargetRegistry.withBuiltins());
    }

    public TargetRegistry targets() {
        return targets;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public void addProvider(DeviceProvider p) {
        providers.put(p.scheme(), p);
    }

    public void addListener(DeviceListener l) {
        listeners.add(l);
    }

    public void removeListener(DeviceListener l) {
        listeners.remove(l);
    }

    /**
     * Makes {@code device} known by its MAJOR:MINOR, as the kernel's block layer knows sd and nvme
     * disks, so tables can name it that way. The caller owns the device: tables hold it but never close it.
     *
     * @throws DmException EBUSY when another device already has that number
     */
    public void addBlockDevice(BlockDevice device) throws DmException {
        BlockDevice old = blockDevices.putIfAbsent(device.devT(), device);
        if (old != null && old != device) {
            throw new DmException(DmException.EBUSY, "device number " + device.devT() + " is already used by " + old.name());
        }
    }

    /** Forgets a device added with {@link #addBlockDevice}; tables that hold it keep it until reloaded. */
    public void removeBlockDevice(BlockDevice device) {
        blockDevices.remove(device.devT(), device);
    }

    // ---- lookups ----

    public synchronized List<MappedDevice> list() {
        return new ArrayList<>(byName.values());
    }

    public synchronized Optional<MappedDevice> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** By name, by uuid, or by MAJOR:MINOR, as dmsetup resolves its device argument. */
    public synchronized MappedDevice get(String nameOrUuid) throws DmException {
        MappedDevice md = byName.get(nameOrUuid);
        if (md == null) {
            String n = nameOrUuid.startsWith("/dev/mapper/") ? nameOrUuid.substring(12) : nameOrUuid;
            md = byName.get(n);
        }
        if (md == null && DevT.looksLike(nameOrUuid)) {
            DevT d = DevT.parse(nameOrUuid);
            md = d.major() == DevT.DM_MAJOR ? byMinor.get(d.minor()) : null;
        }
        if (md == null) {
            for (MappedDevice m : byName.values()) {
                if (!m.uuid().isEmpty() && m.uuid().equals(nameOrUuid)) {
                    md = m;
                }
            }
        }
        if (md == null) {
            throw new DmException(DmException.ENXIO, nameOrUuid + ": no such device");
        }
        return md;
    }

    // ---- the ioctl operations ----

    /** DM_DEV_CREATE: a device with no table. */
    public synchronized MappedDevice create(String name, String uuid) throws DmException {
        checkName(name);
        if (byName.containsKey(name)) {
            throw new DmException(DmException.EBUSY, "device " + name + " already exists");
        }
        if (uuid != null && !uuid.isEmpty()) {
            checkUuid(uuid);
        }
        int minor = 0;
        while (byMinor.containsKey(minor)) {
            minor++;
        }
        MappedDevice md = new MappedDevice(this, name, uuid, new DevT(DevT.DM_MAJOR, minor));
        byName.put(name, md);
        byMinor.put(minor, md);
        listeners.forEach(l -> l.created(md));
        return md;
    }

    /** create + load + resume, removing the device again if the table is refused (as dmsetup does). */
    public MappedDevice create(String name, String uuid, String table, boolean readOnly) throws DmException {
        MappedDevice md = create(name, uuid);
        if (table != null) {
            try {
                load(name, table, readOnly);
            } catch (DmException e) {
                try {
                    remove(name, false, false);
                } catch (DmException ignored) {
                    // it has no table and no opener: removal cannot be refused
                }
                throw e;
            }
            resume(name);
        }
        return md;
    }

    /** DM_TABLE_LOAD: validates the whole table into the inactive slot; on error both slots stay. */
    public void load(String name, String tableText, boolean readOnly) throws DmException {
        load(name, TableLine.parse(tableText), readOnly);
    }

    public void load(String name, List<TableLine> lines, boolean readOnly) throws DmException {
        MappedDevice md;
        Table t;
        synchronized (this) {
            md = get(name);
            t = new TableBuilder(this, md, readOnly).build(lines);
        }
        md.load(t, readOnly);
    }

    /** DM_TABLE_CLEAR. */
    public void clear(String name) throws DmException {
        MappedDevice md = get(name);
        md.clearInactive();
    }

    /** DM_DEV_SUSPEND (suspend): returns when in-flight I/O has drained (or been requeued, noflush). */
    public void suspend(String name, boolean noflush) throws DmException {
        MappedDevice md = get(name);
        md.suspend(noflush).join();
    }

    /** DM_DEV_SUSPEND (resume): swaps in the inactive table, releases waiting I/O. */
    public void resume(String name) throws DmException {
        MappedDevice md = get(name);
        boolean swapped = md.inactiveTable() != null;
        md.resume();
        if (swapped) {
            listeners.forEach(l -> l.tableSwapped(md));
        }
    }

    /**
     * DM_DEV_REMOVE. Refused (EBUSY) while open or held by another table; with force, an error
     * table is swapped in first so waiting I/O fails; with deferred, removal happens at last close.
     */
    public void remove(String name, boolean force, boolean deferred) throws DmException {
        MappedDevice md = get(name);
        if (md.openCount() > 0) {
            if (deferred) {
                md.markDeferredRemove(true);
                return;
            }
            if (force) {
                errorOut(md);
                waitClosed(md, 2000);
            }
            if (md.openCount() > 0) {
                throw new DmException(DmException.EBUSY, md.dmName() + ": device is open or in use");
            }
        } else if (force) {
            errorOut(md);
        }
        synchronized (this) {
            byName.remove(md.dmName());
            byMinor.remove(md.devT().minor());
        }
        if (md.suspended() && !force) {
            md.failDeferred();
        }
        md.destroy();
        listeners.forEach(l -> l.removed(md));
    }

    /** Replaces the live table by an error target of the same size and resumes, as `remove --force`. */
    private void errorOut(MappedDevice md) throws DmException {
        long size = md.sizeSectors();
        if (size > 0) {
            Table t;
            synchronized (this) {
                t = new TableBuilder(this, md, false).build(List.of(new TableLine(1, 0, size, "error", List.of())));
            }
            md.replaceLive(t);
        } else if (md.suspended()) {
            md.failDeferred();
            md.resume();
        }
        listeners.forEach(l -> l.forceRemoving(md));
    }

    /** Gives openers that were told of a forced removal (NBD clients) a moment to let go. */
    private static void waitClosed(MappedDevice md, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (md.openCount() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void removeDeferred(MappedDevice md) {
        try {
            remove(md.dmName(), false, false);
        } catch (DmException e) {
            // still open after all; it stays marked
        }
    }

    /**
     * DM_REMOVE_ALL: removes every device that is not in use, over as many passes as it takes (a
     * device goes once the ones above it are gone); with force, what is still open after that is
     * removed as remove --force does.
     */
    public List<String> removeAll(boolean force) {
        sweep(false);
        if (force) {
            sweep(true);
        }
        List<String> refused = new ArrayList<>();
        list().forEach(md -> refused.add(md.dmName()));
        return refused;
    }

    private void sweep(boolean force) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (MappedDevice md : list()) {
                try {
                    remove(md.dmName(), force, false);
                    progress = true;
                } catch (DmException e) {
                    // held by another device: try again after that one is gone
                }
            }
        }
    }

    /** DM_DEV_RENAME. */
    public void rename(String name, String newName) throws DmException {
        MappedDevice md;
        synchronized (this) {
            md = get(name);
            checkName(newName);
            if (byName.containsKey(newName)) {
                throw new DmException(DmException.EBUSY, "device " + newName + " already exists");
            }
            byName.remove(md.dmName());
            md.rename(newName);
            byName.put(newName, md);
        }
        listeners.forEach(l -> l.renamed(md, name));
        md.raiseEvent();
    }

    /** DM_DEV_RENAME with --setuuid: allowed once, on a device without a uuid. */
    public synchronized void setUuid(String name, String uuid) throws DmException {
        MappedDevice md = get(name);
        checkUuid(uuid);
        if (!md.uuid().isEmpty()) {
            throw new DmException(DmException.EINVAL, md.dmName() + ": unable to change uuid of mapped device to " + uuid + " because uuid is already set to " + md.uuid());
        }
        for (MappedDevice m : byName.values()) {
            if (m.uuid().equals(uuid)) {
                throw new DmException(DmException.EBUSY, "uuid " + uuid + " already in use");
            }
        }
        md.setUuid(uuid);
    }

    /** DM_TARGET_MSG: sends a message to the target holding {@code sector} of the live table. */
    public String message(String name, long sector, List<String> argv) throws DmException {
        MappedDevice md = get(name);
        Table t = md.activeTable();
        if (t == null) {
            throw new DmException(DmException.EINVAL, "Target message sent to device with no table");
        }
        if (argv.isEmpty()) {
            throw new DmException(DmException.EINVAL, "Empty message received.");
        }
        if (sector >= t.sizeSectors()) {
            throw new DmException(DmException.EINVAL, "Target message sector outside device.");
        }
        Table.Entry e = t.entries().get(t.indexOf(sector));
        try {
            return e.target().message(argv);
        } catch (TargetException ex) {
            throw new DmException(ex.errno(), ex.getMessage());
        }
    }

    /** DM_DEV_WAIT: waits for an event after {@code eventNr}; returns the new number. */
    public long waitEvent(String name, long eventNr, long timeoutMillis) throws DmException, TimeoutException {
        MappedDevice md = get(name);
        try {
            return md.waitEvent(eventNr).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmException(DmException.EINVAL, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DmException(DmException.EINVAL, e.getCause().toString());
        }
    }

    void fireEvent(MappedDevice md) {
        listeners.forEach(l -> l.event(md));
    }

    private static void checkName(String name) throws DmException {
        if (name == null || name.isEmpty() || name.length() >= NAME_LEN || name.contains("/")
                || name.equals(".") || name.equals("..")) {
            throw new DmException(DmException.EINVAL, "Invalid device name: " + name);
        }
    }

    private static void checkUuid(String uuid) throws DmException {
        if (uuid.length() >= UUID_LEN) {
            throw new DmException(DmException.EINVAL, "uuid too long: " + uuid);
        }
    }

    // ---- underlying devices ----

    /** The dev_t a file has (or will have) when a table uses it. */
    public synchronized DevT fileDevT(Path real) {
        return fileDevTs.computeIfAbsent(real.toString(), k -> new DevT(DevT.LOOP_MAJOR, nextFileMinor++));
    }

    /**
     * Attaches a file as a loop device with the given logical block size, as `losetup -f -b SIZE FILE`:
     * the file gets its dev_t (7:N, as {@link #fileDevT}) and tables that use it see that block size.
     * The size is a power of two from 512 to 4096, as the loop driver takes; a file held by a table
     * cannot change its block size (EBUSY).
     */
    public synchronized DevT attachFile(Path file, int logicalBlockSize) throws DmException {
        if (logicalBlockSize < 512 || logicalBlockSize > 4096 || Integer.bitCount(logicalBlockSize) != 1) {
            throw new DmException(DmException.EINVAL, file + ": invalid logical block size " + logicalBlockSize
                    + " (a power of two from 512 to 4096)");
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new DmException(DmException.ENXIO, file + ": " + e.getMessage());
        }
        if (!Files.isRegularFile(real)) {
            throw new DmException(DmException.EINVAL, file + ": not a regular file");
        }
        if (heldByKey.containsKey("file:" + real) && fileBlockSizes.getOrDefault(real.toString(), 512) != logicalBlockSize) {
            throw new DmException(DmException.EBUSY, file + ": in use with logical block size "
                    + fileBlockSizes.getOrDefault(real.toString(), 512));
        }
        fileBlockSizes.put(real.toString(), logicalBlockSize);
        return fileDevT(real);
    }

    /** Opens what a table names, as dm_get_device; shared and counted per device. */
    synchronized DeviceRef acquire(String spec, boolean readOnly, MappedDevice forMd) throws DmException {
        MappedDevice md = resolveMapped(spec);
        if (md != null) {
            if (md == forMd) {
                throw new DmException(DmException.EINVAL, "a device cannot map onto itself");
            }
            md.open();
            return new DeviceRef(md, spec, md::close);
        }
        int colon = spec.indexOf("://");
        if (colon > 0) {
            DeviceProvider p = providers.get(spec.substring(0, colon));
            if (p == null) {
                throw new DmException(DmException.ENXIO, "no provider for " + spec);
            }
            return hold("url:" + spec, spec, () -> {
                BlockDevice d = p.open(spec, readOnly);
                return new Held(d, () -> p.release(d));
            });
        }
        if (DevT.looksLike(spec) && blockDevices.containsKey(DevT.parse(spec))) {
            BlockDevice d = blockDevices.get(DevT.parse(spec));
            return hold("dev:" + d.devT(), spec, () -> new Held(d, () -> { }));
        }
        Path path = DevT.looksLike(spec) ? byDevTPath(spec) : Path.of(spec);
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new DmException(DmException.ENXIO, spec + ": " + e.getMessage());
        }
        return hold("file:" + real, spec, () -> {
            FileBlockDevice f = FileBlockDevice.open(real, readOnly && !Files.isWritable(real), fileDevT(real),
                    fileBlockSizes.getOrDefault(real.toString(), 512));
            return new Held(f, f::close);
        });
    }

    private interface Opener {
        Held open() throws IOException;
    }

    private DeviceRef hold(String key, String spec, Opener opener) throws DmException {
        Held h = heldByKey.get(key);
        if (h == null) {
            try {
                h = opener.open();
            } catch (IOException e) {
                throw new DmException(DmException.ENXIO, spec + ": " + e.getMessage());
            }
            heldByKey.put(key, h);
        }
        h.refs++;
        Held held = h;
        return new DeviceRef(h.device, spec, () -> unhold(key, held));
    }

    private synchronized void unhold(String key, Held h) {
        if (--h.refs == 0) {
            heldByKey.remove(key);
            h.closer.run();
        }
    }

    private MappedDevice resolveMapped(String spec) {
        if (spec.startsWith("/dev/mapper/")) {
            return byName.get(spec.substring("/dev/mapper/".length()));
        }
        if (DevT.looksLike(spec)) {
            DevT d = DevT.parse(spec);
            if (d.major() == DevT.DM_MAJOR) {
                return byMinor.get(d.minor());
            }
        }
        return null;
    }

    /** MAJOR:MINOR of a device already held, or of a real block device. */
    private Path byDevTPath(String spec) throws DmException {
        DevT d = DevT.parse(spec);
        for (Map.Entry<String, DevT> e : fileDevTs.entrySet()) {
            if (e.getValue().equals(d)) {
                return Path.of(e.getKey());
            }
        }
        for (Held h : heldByKey.values()) {
            if (h.device.devT().equals(d)) {
                return Path.of(h.device.name());
            }
        }
        Path node = Path.of("/dev/block/" + d);
        if (Files.exists(node)) {
            return node;
        }
        throw new DmException(DmException.ENXIO, "no device " + spec);
    }

    @Override
    public void close() {
        removeAll(true);
        scheduler.shutdownNow();
    }
}
