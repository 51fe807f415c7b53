package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceListener;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Keeps one {@link DeviceMeters} set per mapped device in step with the device-mapper: device
 * events (create, remove, rename, new table) ask for a refresh, which runs on the metrics thread
 * (never under the device-mapper's lock); the periodic refresh catches path names the topology
 * learnt since.
 */
final class DeviceMapperMetrics implements DeviceListener {
    private final MeterRegistry registry;
    private final DeviceMapper dm;
    private final PathNamer namer;
    private final Executor executor;
    private final Map<MappedDevice, DeviceMeters> current = new ConcurrentHashMap<>();

    DeviceMapperMetrics(MeterRegistry registry, DeviceMapper dm, PathNamer namer, Executor executor) {
        this.registry = registry;
        this.dm = dm;
        this.namer = namer;
        this.executor = executor;
    }

    /** Registers meters for new devices and tables, removes those of devices gone. */
    synchronized void refresh() {
        List<MappedDevice> live = dm.list();
        Set<MappedDevice> seen = new HashSet<>();
        for (MappedDevice md : live) {
            seen.add(md);
            DeviceMeters.Key key = DeviceMeters.keyOf(md, namer);
            DeviceMeters old = current.get(md);
            if (old != null && old.key().equals(key)) {
                continue;
            }
            if (old != null) {
                old.close();
            }
            current.put(md, DeviceMeters.register(registry, key));
        }
        for (var it = current.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!seen.contains(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    /** The devices with meters now, for the latency histograms. */
    Collection<DeviceMeters> devices() {
        return current.values();
    }

    synchronized void close() {
        current.values().forEach(DeviceMeters::close);
        current.clear();
    }

    private void later() {
        try {
            executor.execute(this::refresh);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // metrics are shutting down
        }
    }

    @Override
    public void created(MappedDevice md) {
        later();
    }

    @Override
    public void removed(MappedDevice md) {
        later();
    }

    @Override
    public void renamed(MappedDevice md, String oldName) {
        later();
    }

    @Override
    public void tableSwapped(MappedDevice md) {
        later();
    }
}
