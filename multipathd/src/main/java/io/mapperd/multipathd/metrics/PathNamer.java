package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.BlockDevice;

import java.util.Map;

/**
 * The `path` label of a multipath path: the daemon's name for it (sdb, nvme0n1) when the topology
 * knows its MAJOR:MINOR, else the kernel's style of name: dm-N for a mapped device, the last part
 * of the device's file name otherwise.
 */
final class PathNamer {
    private volatile Map<String, String> devByDevT = Map.of();

    void topology(Map<String, String> byDevT) {
        devByDevT = Map.copyOf(byDevT);
    }

    String label(BlockDevice device) {
        String known = devByDevT.get(device.devT().toString());
        if (known != null) {
            return known;
        }
        if (device instanceof MappedDevice m) {
            return "dm-" + m.devT().minor();
        }
        String n = device.name();
        int slash = n.lastIndexOf('/');
        return slash >= 0 ? n.substring(slash + 1) : n;
    }
}
