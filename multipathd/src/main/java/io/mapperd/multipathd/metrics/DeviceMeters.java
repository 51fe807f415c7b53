package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.Table;
import io.mapperd.dm.core.stats.IoStats;
import io.mapperd.dm.core.stats.PathFailReason;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.targets.multipath.MultipathTarget;
import io.mapperd.dm.targets.multipath.PgPath;
import io.mapperd.dm.targets.multipath.PriorityGroup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one mapped device with one live table: map gauges and I/O counters, and for a
 * multipath table its state and one set per path. Meters read dm-core's counters when Prometheus
 * scrapes; nothing is updated from here. A rename or a new table replaces the whole set.
 */
final class DeviceMeters implements AutoCloseable {
    /** What identifies the set: a change of any part re-registers it. */
    record Key(MappedDevice md, String name, Table table, List<String> pathLabels) {
    }

    /** One path of the map with its labels. */
    record PathEntry(String map, String path, PgPath pgPath) {
    }

    private final MeterRegistry registry;
    private final Key key;
    private final List<PathEntry> paths;
    private final List<Meter> meters = new ArrayList<>();

    private DeviceMeters(MeterRegistry registry, Key key, List<PathEntry> paths) {
        this.registry = registry;
        this.key = key;
        this.paths = paths;
    }

    static Key keyOf(MappedDevice md, PathNamer namer) {
        Table t = md.activeTable();
        List<String> labels = new ArrayList<>();
        for (MultipathTarget mp : multipathTargets(t)) {
            for (PriorityGroup pg : mp.groups()) {
                for (PgPath p : pg.paths()) {
                    labels.add(namer.label(p.device()));
                }
            }
        }
        return new Key(md, md.dmName(), t, List.copyOf(labels));
    }

    static List<MultipathTarget> multipathTargets(Table t) {
        List<MultipathTarget> out = new ArrayList<>();
        if (t != null) {
            for (Table.Entry e : t.entries()) {
                if (e.target() instanceof MultipathTarget mp) {
                    out.add(mp);
                }
            }
        }
        return out;
    }

    static DeviceMeters register(MeterRegistry registry, Key key) {
        MappedDevice md = key.md();
        String map = key.name();
        List<MultipathTarget> mps = multipathTargets(key.table());
        List<PathEntry> paths = new ArrayList<>();
        int i = 0;
        for (MultipathTarget mp : mps) {
            for (PriorityGroup pg : mp.groups()) {
                for (PgPath p : pg.paths()) {
                    paths.add(new PathEntry(map, key.pathLabels().get(i++), p));
                }
            }
        }
        DeviceMeters d = new DeviceMeters(registry, key, List.copyOf(paths));
        d.registerMap(md, map);
        if (!mps.isEmpty()) {
            d.registerMultipath(mps, map);
        }
        for (PathEntry p : d.paths) {
            d.registerPath(p);
        }
        return d;
    }

    Key key() {
        return key;
    }

    String map() {
        return key.name();
    }

    IoStats mapStats() {
        return key.md().ioStats();
    }

    List<PathEntry> paths() {
        return paths;
    }

    private void registerMap(MappedDevice md, String map) {
        Tags t = Tags.of("map", map);
        gauge("mapperd.map.size", "bytes", "Size of the mapped device's live table", t, md, m -> m.sizeSectors() * 512.0);
        gauge("mapperd.map.io.inflight", null, "Bios submitted to the mapped device and not completed", t, md, MappedDevice::inflight);
        gauge("mapperd.map.suspended", null, "1 while the mapped device is suspended (new I/O waits)", t, md, m -> m.suspended() ? 1 : 0);
        gauge("mapperd.map.openers", null, "Openers of the mapped device (NBD clients, tables above it)", t, md, MappedDevice::openCount);
        ioCounters("mapperd.map", "mapped device", t, md.ioStats());
    }

    private void registerMultipath(List<MultipathTarget> mps, String map) {
        Tags t = Tags.of("map", map);
        gauge("mapperd.map.paths", null, "Paths of the multipath map by their state in the table (active or failed)",
                t.and("state", "active"), mps, l -> count(l, true));
        gauge("mapperd.map.paths", null, "Paths of the multipath map by their state in the table (active or failed)",
                t.and("state", "failed"), mps, l -> count(l, false));
        MultipathTarget first = mps.getFirst();
        gauge("mapperd.map.active.group", null, "Number of the priority group serving I/O (0: none)", t, first, MultipathTarget::activeGroup);
        gauge("mapperd.map.groups", null, "Priority groups in the multipath table", t, first, m -> m.groups().size());
        gauge("mapperd.map.queue.if.no.path", null, "1 when I/O is held, not failed, while no path is usable", t, first,
                m -> m.queueIfNoPath() ? 1 : 0);
        gauge("mapperd.map.queued.ios", null, "Bios held by the multipath map (no usable path, or pg_init running)", t, mps,
                l -> l.stream().mapToLong(MultipathTarget::queuedBios).sum());
        counter("mapperd.map.failovers", null, "Path failures in the group serving I/O (I/O moved to another path)", t, mps,
                l -> l.stream().mapToLong(MultipathTarget::failovers).sum());
        counter("mapperd.map.group.switches", null, "Times I/O moved to another priority group", t, mps,
                l -> l.stream().mapToLong(MultipathTarget::groupSwitches).sum());
    }

    private static double count(List<MultipathTarget> mps, boolean active) {
        int n = 0;
        for (MultipathTarget mp : mps) {
            for (PriorityGroup pg : mp.groups()) {
                for (PgPath p : pg.paths()) {
                    if (p.active() == active) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private void registerPath(PathEntry e) {
        Tags t = Tags.of("map", e.map(), "path", e.path());
        PgPath p = e.pgPath();
        gauge("mapperd.path.active", null, "1 while the path is active in the multipath table, 0 when failed", t, p, x -> x.active() ? 1 : 0);
        gauge("mapperd.path.group", null, "Priority group holding the path", t, p, x -> x.group().number());
        for (PathFailReason r : PathFailReason.values()) {
            counter("mapperd.path.failures", null, "Times the path was failed, by reason", t.and("reason", r.label()), p,
                    x -> x.failures(r));
        }
        ioCounters("mapperd.path", "path", t, p.ioStats());
    }

    private void ioCounters(String prefix, String what, Tags t, IoStats s) {
        for (BioOp op : Directions.OPS) {
            Tags d = t.and("direction", Directions.label(op));
            counter(prefix + ".ios", null, "Bios completed by the " + what + ", by direction", d, s, x -> x.ops(op));
            counter(prefix + ".io", "bytes", "Bytes moved by bios the " + what + " completed without error", d, s, x -> x.bytes(op));
            counter(prefix + ".io.errors", null, "Bios the " + what + " completed with an error", d, s, x -> x.errors(op));
        }
    }

    private <T> void gauge(String name, String unit, String help, Tags tags, T obj, ToDoubleFunction<T> f) {
        meters.add(Gauge.builder(name, obj, f).description(help).baseUnit(unit).tags(tags).strongReference(true).register(registry));
    }

    private <T> void counter(String name, String unit, String help, Tags tags, T obj, ToDoubleFunction<T> f) {
        meters.add(FunctionCounter.builder(name, obj, f).description(help).baseUnit(unit).tags(tags).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
