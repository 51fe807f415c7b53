package io.mapperd.multipathd.command;

import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: an in-memory policy engine over the SAN of the reference VM (the guest's LIO LUN
 * seen over two iSCSI portals, ALUA active/optimized and active/non-optimized, grouped by prio
 * into mpatha), plus what the tests add (more maps, orphans). Actions change the state as
 * multipathd would (fail_path moves I/O to the next group, failback immediate brings it back).
 * Reads take consistent snapshots without any lock; actions serialise among themselves, and an
 * action can be held at a gate to prove reads do not wait for it.
 */
public final class FixtureSan implements TopologySource, DaemonActions {
    public static final String WWID = "360014055f0e7ab100004000800000000";
    public static final String IQN = "iqn.2024-01.io.refvm:tgt1";

    /** A map definition: groups of path names, in table order. */
    record MapDef(String name, String wwid, String dmDev, long sectors, List<List<String>> groups, String selector) {
    }

    private final Map<String, PathView> paths = new LinkedHashMap<>();
    private final Map<String, MapDef> defs = new LinkedHashMap<>();
    private final Map<String, MapState> states = new LinkedHashMap<>();
    private volatile List<PathView> pathSnapshot = List.of();
    private volatile List<MapView> mapSnapshot = List.of();
    private volatile CountDownLatch gate;
    public final AtomicInteger actionsRun = new AtomicInteger();
    public final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String state = "idle";
    private volatile boolean shutdown;

    private static final class MapState {
        int activeGroup;
        String queueing = "12 chk";
        String dmState = "active";
        long pathFaults;
        long switchGroups;
        long mapLoads = 1;
    }

    /** The reference VM's state when the capture started: sdb next check 15/20, sda 14/20. */
    public static FixtureSan refvm() {
        FixtureSan s = new FixtureSan();
        s.addPath(iscsiPath("sdb", "8:16", "6:0:0:0", 50, 15));
        s.addPath(iscsiPath("sda", "8:0", "7:0:0:0", 10, 14));
        s.addMap(new MapDef("mpatha", WWID, "dm-0", 131072, List.of(List.of("sdb"), List.of("sda")), "service-time 0"));
        return s;
    }

    public static PathView iscsiPath(String dev, String devT, String hcil, int prio, int tick) {
        return new PathView(dev, devT, hcil, WWID, "LIO-ORG", "FILEIO", "4.0", "5f0e7ab1-0000-4000-8000-00000000f11e",
                "scsi:iscsi", "active", "running", "ready", "tur", tick, 20, prio, 131072, "mpatha", "normal", 0,
                "", IQN, "", "", "127.0.0.1", prio == 50 ? 1 : 2, "ok");
    }

    public synchronized void addPath(PathView p) {
        paths.put(p.dev(), p);
        publish();
    }

    synchronized void addMap(MapDef d) {
        defs.put(d.name(), d);
        states.put(d.name(), new MapState());
        publish();
    }

    /** Sets a path's next check countdown (the captures were taken at different ticks). */
    public synchronized void tick(String dev, int tick) {
        PathView p = paths.get(dev);
        paths.put(dev, with(p, p.dmState(), p.checkerState(), tick, p.map()));
        publish();
    }

    /** The next actions wait until the returned latch is counted down. */
    public CountDownLatch holdActions() {
        gate = new CountDownLatch(1);
        return gate;
    }

    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public List<PathView> paths() {
        return pathSnapshot;
    }

    @Override
    public List<MapView> maps() {
        return mapSnapshot;
    }

    private void publish() {
        pathSnapshot = List.copyOf(paths.values());
        List<MapView> maps = new ArrayList<>();
        for (MapDef d : defs.values()) {
            MapState st = states.get(d.name());
            List<GroupView> groups = new ArrayList<>();
            for (int g = 0; g < d.groups().size(); g++) {
                List<PathView> ps = d.groups().get(g).stream().map(paths::get).toList();
                int prio = ps.stream().filter(p -> p.dmState().equals("active")).mapToInt(PathView::priority).sum();
                groups.add(new GroupView(d.selector(), prio, g == st.activeGroup ? "active" : "enabled", false, ps));
            }
            maps.add(new MapView(d.name(), d.wwid(), d.dmDev(), "LIO-ORG", "FILEIO", "4.0", d.sectors(), "1 queue_if_no_path",
                    "1 alua", "rw", st.dmState, "immediate", st.queueing, st.pathFaults, st.switchGroups, st.mapLoads, 0, 0,
                    "create", groups));
        }
        mapSnapshot = List.copyOf(maps);
    }

    private static PathView with(PathView p, String dm, String chk, int tick, String map) {
        return new PathView(p.dev(), p.devT(), p.hcil(), p.wwid(), p.vendor(), p.product(), p.revision(), p.serial(),
                p.protocol(), dm, p.devState(), chk, p.checker(), tick, p.checkIntervalSecs(), p.priority(), p.sizeSectors(),
                map, p.marginal(), p.failures(), p.hostWwnn(), p.targetWwnn(), p.hostWwpn(), p.targetWwpn(),
                p.hostAdapter(), p.tpg(), p.initState());
    }

    private void enter(String what) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(what + ": gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        actionsRun.incrementAndGet();
        log.add(what);
    }

    private MapDef mapOf(String dev) {
        return defs.values().stream().filter(d -> d.groups().stream().anyMatch(g -> g.contains(dev))).findFirst().orElseThrow();
    }

    private int groupOf(MapDef d, String dev) {
        for (int g = 0; g < d.groups().size(); g++) {
            if (d.groups().get(g).contains(dev)) {
                return g;
            }
        }
        return -1;
    }

    private boolean groupUsable(MapDef d, int g) {
        return d.groups().get(g).stream().anyMatch(x -> paths.get(x).dmState().equals("active"));
    }

    @Override
    public ActionResult failPath(String dev) {
        enter("fail " + dev);
        synchronized (this) {
            PathView p = paths.get(dev);
            paths.put(dev, with(p, "failed", "faulty", p.nextCheckSecs(), p.map()));
            MapDef d = mapOf(dev);
            MapState st = states.get(d.name());
            st.pathFaults++;
            if (!groupUsable(d, st.activeGroup)) {
                for (int g = 0; g < d.groups().size(); g++) {
                    if (groupUsable(d, g)) {
                        st.activeGroup = g;
                        break;
                    }
                }
            }
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult reinstatePath(String dev) {
        enter("reinstate " + dev);
        synchronized (this) {
            PathView p = paths.get(dev);
            paths.put(dev, with(p, "active", "ready", p.nextCheckSecs(), p.map()));
            MapDef d = mapOf(dev);
            states.get(d.name()).activeGroup = Math.min(states.get(d.name()).activeGroup, groupOf(d, dev));
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult addPath(String dev) {
        enter("add path " + dev);
        return paths.containsKey(dev) ? ActionResult.ok() : ActionResult.ok("blacklisted\n");
    }

    @Override
    public ActionResult delPath(String dev) {
        enter("del path " + dev);
        return ActionResult.ok();
    }

    @Override
    public ActionResult addMap(String nameOrWwid) {
        enter("add map " + nameOrWwid);
        return defs.containsKey(nameOrWwid) ? ActionResult.ok() : ActionResult.fail(nameOrWwid + ": no paths with that WWID");
    }

    @Override
    public ActionResult delMap(String map) {
        enter("del map " + map);
        return ActionResult.ok();
    }

    @Override
    public ActionResult suspendMap(String map) {
        enter("suspend " + map);
        synchronized (this) {
            states.get(map).dmState = "suspend";
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult resumeMap(String map) {
        enter("resume " + map);
        synchronized (this) {
            states.get(map).dmState = "active";
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult reloadMap(String map) {
        enter("reload " + map);
        synchronized (this) {
            states.get(map).mapLoads++;
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult resetMap(String map) {
        enter("reset " + map);
        return ActionResult.ok();
    }

    @Override
    public ActionResult resizeMap(String map) {
        enter("resize " + map);
        return ActionResult.ok();
    }

    @Override
    public ActionResult switchGroup(String map, int group) {
        enter("switchgroup " + map + " " + group);
        synchronized (this) {
            MapState st = states.get(map);
            st.activeGroup = group - 1;
            st.switchGroups++;
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult disableQueueing(String map) {
        enter("disablequeueing " + map);
        synchronized (this) {
            states.get(map).queueing = "off";
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult restoreQueueing(String map) {
        enter("restorequeueing " + map);
        synchronized (this) {
            states.get(map).queueing = "12 chk";
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult resetStats(String map) {
        enter("reset stats " + map);
        synchronized (this) {
            MapState st = states.get(map);
            st.pathFaults = 0;
            st.switchGroups = 0;
            st.mapLoads = 0;
            publish();
        }
        return ActionResult.ok();
    }

    @Override
    public ActionResult reconfigure(boolean all, boolean dryRun) {
        enter("reconfigure" + (all ? " all" : "") + (dryRun ? " dry-run" : ""));
        if (dryRun) {
            return ActionResult.ok("mpatha: table unchanged\n");
        }
        state = "configure";
        state = "idle";
        return ActionResult.ok();
    }

    @Override
    public ActionResult shutdown() {
        enter("shutdown");
        shutdown = true;
        return ActionResult.ok();
    }

    @Override
    public MultipathConfig config() {
        return ConfigLoader.builtin();
    }

    @Override
    public String state() {
        return state;
    }
}
