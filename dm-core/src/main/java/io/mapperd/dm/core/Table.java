package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.Extent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A complete, validated table: targets in sector order, the devices they hold, the mode. */
public final class Table {
    /** One target of the table with the range it covers. */
    public record Entry(long start, long length, TargetType type, Target target) {
        public long end() {
            return start + length;
        }
    }

    private final List<Entry> entries;
    private final long[] starts;
    private final List<DeviceRef> devices;
    private final boolean readOnly;
    private final int logicalBlockSize;
    private final long sizeSectors;
    /** The only entry of a one-target table (most tables), else null. */
    private final Entry single;

    Table(List<Entry> entries, List<DeviceRef> devices, boolean readOnly, int logicalBlockSize) {
        this.entries = List.copyOf(entries);
        this.devices = List.copyOf(devices);
        this.readOnly = readOnly;
        this.logicalBlockSize = logicalBlockSize;
        this.starts = new long[entries.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = entries.get(i).start();
        }
        this.sizeSectors = entries.isEmpty() ? 0 : entries.getLast().end();
        this.single = entries.size() == 1 ? entries.getFirst() : null;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<DeviceRef> devices() {
        return devices;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int logicalBlockSize() {
        return logicalBlockSize;
    }

    public long sizeSectors() {
        return sizeSectors;
    }

    /** Index of the target holding {@code sector}. */
    int indexOf(long sector) {
        int i = java.util.Arrays.binarySearch(starts, sector);
        return i >= 0 ? i : -i - 2;
    }

    /** Sends a bio (device-relative sectors) to the targets it covers, split at their boundaries. */
    public CompletableFuture<Void> map(Bio bio) {
        if (bio.op() == BioOp.FLUSH) {
            return flushAll(bio);
        }
        if (bio.endSector() > sizeSectors()) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR,
                    "access beyond end of device: " + bio + ", size " + sizeSectors()));
        }
        if (bio.sectors() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int i = indexOf(bio.sector());
        Entry e = entries.get(i);
        if (bio.endSector() <= e.end()) {
            return e.target().map(e.start() == 0 ? bio : bio.at(bio.sector() - e.start()));
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        long done = 0;
        while (done < bio.sectors()) {
            e = entries.get(i++);
            long at = bio.sector() + done;
            long n = Math.min(bio.sectors() - done, e.end() - at);
            parts.add(e.target().map(bio.slice(done, n, at - e.start())));
            done += n;
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /**
     * {@link #map(Bio)} with a completion instead of a future: a bio inside one target goes to
     * that target's {@link Target#map(Bio, BioCompletion)}; a flush, a bio beyond the end or one
     * crossing targets goes through {@link #map(Bio)}.
     */
    public void map(Bio bio, BioCompletion done) {
        if (bio.op() != BioOp.FLUSH && bio.sectors() > 0 && bio.endSector() <= sizeSectors) {
            Entry e = single != null ? single : entries.get(indexOf(bio.sector()));
            if (bio.endSector() <= e.end()) {
                e.target().map(e.start() == 0 ? bio : bio.at(bio.sector() - e.start()), done);
                return;
            }
        }
        map(bio).whenComplete((v, ex) -> done.bioDone(ex));
    }

    private CompletableFuture<Void> flushAll(Bio bio) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Entry e : entries) {
            if (e.target().passesFlush()) {
                parts.add(e.target().map(bio));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** Block status across targets, from {@code sector}, covering at most the first target touched. */
    public CompletableFuture<List<Extent>> blockStatus(long sector, long sectors) {
        if (sector >= sizeSectors()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Entry e = entries.get(indexOf(sector));
        long n = Math.min(sectors, e.end() - sector);
        return e.target().blockStatus(sector - e.start(), n);
    }

    public boolean supportsDiscard() {
        return !entries.isEmpty() && entries.stream().allMatch(e -> e.target().supportsDiscard());
    }

    public boolean supportsWriteZeroes() {
        return !entries.isEmpty() && entries.stream().allMatch(e -> e.target().supportsWriteZeroes());
    }

    /** Whether every target takes vectored bios. */
    public boolean acceptsSegments() {
        for (Entry e : entries) {
            if (!e.target().acceptsSegments()) {
                return false;
            }
        }
        return !entries.isEmpty();
    }

    public boolean supportsFlush() {
        return entries.stream().anyMatch(e -> e.target().passesFlush());
    }

    /** `start length name params` lines as `dmsetup table`/`status` print them. */
    public List<String> lines(StatusType type) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            String params = e.target().status(type);
            out.add(e.start() + " " + e.length() + " " + e.type().name() + (params.isEmpty() ? "" : " " + params));
        }
        return out;
    }

    void presuspend(boolean noflush) {
        entries.forEach(e -> e.target().presuspend(noflush));
    }

    void postsuspend() {
        entries.forEach(e -> e.target().postsuspend());
    }

    void resume() {
        entries.forEach(e -> e.target().resume());
    }

    /** Destroys the targets and lets go of the devices (the kernel's dm_table_destroy). */
    void destroy() {
        entries.forEach(e -> e.target().close());
        devices.forEach(DeviceRef::release);
    }
}
