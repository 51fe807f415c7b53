package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the policy engine's topology until the engine is merged: it describes the path
 * devices of the fixture's multipath map as the engine would (sdX names, checker verdicts,
 * priorities) and reads their dm state from the map's table.
 */
final class FixtureTopology implements TopologySource {
    private final DeviceMapper dm;
    private final String map;
    private final List<String> pathDevices;
    private final Map<String, String> checker = new ConcurrentHashMap<>();

    FixtureTopology(DeviceMapper dm, String map, List<String> pathDevices) {
        this.dm = dm;
        this.map = map;
        this.pathDevices = List.copyOf(pathDevices);
        pathDevices.forEach(p -> checker.put(p, "ready"));
    }

    /** The name the engine gives path device number {@code i}. */
    static String dev(int i) {
        return "sd" + (char) ('b' + i);
    }

    void checkerState(String pathDevice, String state) {
        checker.put(pathDevice, state);
    }

    String checkerState(String pathDevice) {
        return checker.get(pathDevice);
    }

    @Override
    public List<PathView> paths() {
        List<PathView> out = new ArrayList<>();
        for (int i = 0; i < pathDevices.size(); i++) {
            String name = pathDevices.get(i);
            MappedDevice md;
            try {
                md = dm.get(name);
            } catch (DmException e) {
                continue;
            }
            String state = checker.get(name);
            out.add(new PathView(dev(i), md.devT().toString(), "2:0:0:" + i, "36001405fixture", "LIO-ORG", "fixture", "4.0",
                    "sn" + i, "scsi:iscsi", state.equals("ready") ? "active" : "failed", "running", state, "tur", 5, 5,
                    50 - 10 * i, md.sizeSectors(), map, "normal", 0, "iqn.host", "iqn.target", "", "127.0.0.1:3260",
                    "127.0.0.1", i + 1, "ok"));
        }
        return out;
    }

    @Override
    public List<MapView> maps() {
        List<PathView> ps = paths();
        List<GroupView> groups = new ArrayList<>();
        for (PathView p : ps) {
            groups.add(new GroupView("round-robin 0", p.priority(), "enabled", false, List.of(p)));
        }
        return List.of(new MapView(map, "36001405fixture", "dm-0", "LIO-ORG", "fixture", "4.0", 0, "0", "0", "rw",
                "active", "immediate", "off", 0, 0, 1, 0, 0, "create", groups));
    }
}
