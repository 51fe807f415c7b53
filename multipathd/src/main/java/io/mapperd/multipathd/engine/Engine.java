package io.mapperd.multipathd.engine;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.conf.ResolvedSettings;
import io.mapperd.dm.core.DeviceListener;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.multipathd.engine.name.Bindings;
import io.mapperd.multipathd.engine.name.WwidsFile;
import io.mapperd.multipathd.engine.path.DiscoveredPath;
import io.mapperd.multipathd.engine.path.DiskNames;
import io.mapperd.multipathd.engine.path.IscsiPathSource;
import io.mapperd.multipathd.engine.path.PathSource;
import io.mapperd.multipathd.engine.path.SysfsPathSource;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.engine.table.MapTable;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The policy engine of the multipath daemon: finds paths, groups them by WWID into maps, loads the
 * maps' tables into the device-mapper and keeps them right while paths fail and return.
 * <p>
 * All state lives on one engine thread. Scans (logins, probes) run on a scanner thread, table
 * changes on the device-mapper writer's thread, and checks are asynchronous, bounded by
 * checker_timeout: a hung path delays only itself. Readers ({@link #paths()}, {@link #maps()}) get
 * the last published snapshot and never wait for the engine.
 */
public final class Engine implements TopologySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** How long a topology command waits for the engine thread to read the maps' status. */
    private static final long REFRESH_SECONDS = 5;

    final EngineOptions options;
    final DeviceMapper dm;
    final DmWriter writer;
    final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
            .name("mpath-engine").factory());
    private final ExecutorService scanner = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("mpath-scan").factory());
    private final List<PathSource> sources = new ArrayList<>();
    private final DiskNames diskNames = new DiskNames();
    final Map<String, PathRecord> paths = new LinkedHashMap<>();
    final Map<String, MapRecord> maps = new LinkedHashMap<>();
    private final DeviceListener listener;
    volatile MultipathConfig config;
    Bindings bindings;
    WwidsFile wwids;
    private volatile Snapshot snapshot = new Snapshot(List.of(), List.of());
    private long lastScanMillis;
    /** no_path_retry and deferred failback count seconds, whatever the tick. */
    private long lastMapTickMillis;
    private boolean scanning;
    private volatile boolean closed;
    final PathChecking checking = new PathChecking(this);
    /** Completes when the scan started with the engine has been applied. */
    CompletableFuture<Void> firstScan = CompletableFuture.completedFuture(null);
    /** A dry run's DEV or WWID argument (see {@link #scope(String)}), or null. */
    private volatile String scope;
    final MapMembership membership = new MapMembership(this);
    final Reservations reservations = new Reservations(this);

    private record Snapshot(List<PathView> paths, List<MapView> maps) {
    }

    private Engine(DeviceMapper dm, EngineOptions options, MultipathConfig config) throws IOException {
        this.dm = dm;
        this.options = options;
        this.config = config;
        this.writer = new DmWriter(dm);
        openStateFiles(config);
        options.sysfsRoot().ifPresent(root -> sources.add(new SysfsPathSource(root)));
        sources.add(new IscsiPathSource(diskNames));
        sources.add(new io.mapperd.multipathd.engine.path.NvmePathSource());
        this.listener = new DeviceListener() {
            @Override
            public void event(MappedDevice md) {
                post(() -> checking.mapEvent(md.dmName()));
            }
        };
    }

    /**
     * Reads the configuration, then starts discovery and the checker loop.
     *
     * @throws ConfigException when the configuration is refused
     * @throws IOException     when the bindings or wwids file cannot be read
     */
    public static Engine start(DeviceMapper dm, EngineOptions options) throws ConfigException, IOException {
        return start(dm, options, null);
    }

    /** As {@link #start(DeviceMapper, EngineOptions)}, limited to the map {@code scope} names (see {@link #scope}). */
    static Engine start(DeviceMapper dm, EngineOptions options, String scope) throws ConfigException, IOException {
        MultipathConfig c = ConfigLoader.load(options.configFile(), options.configDir());
        c.problems().forEach(p -> LOG.warn("{}", p));
        Engine e = new Engine(dm, options, c);
        e.scope(scope);
        dm.addListener(e.listener);
        long tick = options.tick().toMillis();
        e.thread.scheduleAtFixedRate(() -> e.guard(e::tick), tick, tick, TimeUnit.MILLISECONDS);
        e.firstScan = e.rescan();
        return e;
    }

    private void openStateFiles(MultipathConfig c) throws IOException {
        Path b = Path.of(orDefault(c.defaults().string("bindings_file"), "/etc/multipath/bindings"));
        Path w = Path.of(orDefault(c.defaults().string("wwids_file"), "/etc/multipath/wwids"));
        if (options.stateDir().isPresent()) {
            b = options.stateDir().get().resolve("bindings");
            w = options.stateDir().get().resolve("wwids");
        }
        bindings = Bindings.load(b);
        wwids = WwidsFile.load(w);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }

    public MultipathConfig config() {
        return config;
    }

    // ---- threads ----

    /** Runs {@code r} on the engine thread. */
    void post(Runnable r) {
        if (!closed) {
            thread.execute(() -> guard(r));
        }
    }

    /** Runs {@code c} on the engine thread and hands back its result. */
    <T> CompletableFuture<T> call(Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the engine is stopped"));
            return f;
        }
        thread.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("engine: {}", e.toString(), e);
        }
    }

    // ---- discovery ----

    /** Scans every source now; completes when the result has been applied to the maps. */
    public CompletableFuture<Void> rescan() {
        return call(() -> {
            if (scanning) {
                return null;
            }
            scanning = true;
            lastScanMillis = now();
            return null;
        }).thenApplyAsync(v -> {
            Map<String, List<DiscoveredPath>> found = new LinkedHashMap<>();
            MultipathConfig c = config;
            for (PathSource s : sources) {
                try {
                    found.put(s.name(), s.scan(c));
                } catch (RuntimeException e) {
                    LOG.warn("scanning {} failed: {}", s.name(), e.toString());
                }
            }
            return found;
        }, scanner).thenCompose(found -> call(() -> {
            scanning = false;
            found.forEach(this::applyScan);
            publish();
            return null;
        }));
    }

    private void applyScan(String source, List<DiscoveredPath> found) {
        Set<String> keys = new LinkedHashSet<>();
        for (DiscoveredPath d : found) {
            keys.add(d.info().key());
            if (membership.removedByOperator(d.info().key())) {
                continue;
            }
            if (!paths.containsKey(d.info().key())) {
                PathRecord p = new PathRecord(d.info(), d.io(), source);
                resolve(p);
                paths.put(d.info().key(), p);
                LOG.info("{}: path added ({}, wwid {}){}", p.name(), d.info().key(),
                        p.info.wwid().isEmpty() ? "none" : p.info.wwid(),
                        p.blacklisted() ? ": blacklisted: " + p.blacklist.reason() : "");
            }
        }
        Set<String> touched = new LinkedHashSet<>();
        List<PathRecord> gone = new ArrayList<>();
        for (PathRecord p : List.copyOf(paths.values())) {
            if (p.source.equals(source) && !keys.contains(p.info.key())) {
                LOG.info("{}: path removed ({})", p.name(), p.info.key());
                p.removed = true;
                paths.remove(p.info.key());
                if (p.map != null) {
                    touched.add(p.map);
                }
                gone.add(p);
            }
        }
        gone.addAll(membership.vanished(source, keys));
        touched.forEach(this::updateMap);
        // The writer runs in order: once it gets here, no table names these paths any more.
        writer.barrier().thenRunAsync(() -> gone.forEach(p -> {
            if (p.checker != null) {
                p.checker.close();
            }
            p.io.device().ifPresent(dm::removeBlockDevice);
            p.io.close();
        }), scanner);
    }

    void resolve(PathRecord p) {
        p.settings = config.forPath(p.info.identity());
        p.blacklist = config.checkBlacklist(p.info.identity());
        int poll = pollingInterval();
        if (p.checkIntervalSecs == 0) {
            p.checkIntervalSecs = poll;
        }
        p.checkIntervalSecs = Math.min(p.checkIntervalSecs, maxPollingInterval());
    }

    int pollingInterval() {
        Object v = config.defaults().value("polling_interval");
        return v instanceof Number n && n.intValue() > 0 ? n.intValue() : 5;
    }

    int maxPollingInterval() {
        Object v = config.defaults().value("max_polling_interval");
        int max = v instanceof Number n && n.intValue() > 0 ? n.intValue() : 4 * pollingInterval();
        return Math.max(max, pollingInterval());
    }

    // ---- maps ----

    /** Paths of {@code wwid} that may be in its map: mappable and checked at least once. */
    List<PathRecord> members(String wwid) {
        List<PathRecord> out = new ArrayList<>();
        for (PathRecord p : paths.values()) {
            if (mappable(p) && p.info.wwid().equals(wwid) && p.state != PathState.UNCHECKED) {
                out.add(p);
            }
        }
        return out;
    }

    /** Whether {@code p} may go in a map: openable, or, in a dry run, identified and not blacklisted. */
    boolean mappable(PathRecord p) {
        return options.dryRun() ? p.identified() : p.mappable();
    }

    /**
     * Limits a dry run to one map, as multipath(8) does with a DEV or WWID argument: the map of that
     * WWID, alias, or of the path with that name, /dev node or MAJOR:MINOR. find_multipaths does not
     * apply to it. Null plans every map.
     */
    void scope(String scope) {
        this.scope = scope;
    }

    private boolean inScope(String wwid, List<PathRecord> members) {
        String s = scope;
        if (s == null) {
            return true;
        }
        String dev = s.startsWith("/dev/") ? s.substring(5) : s;
        if (s.equals(wwid) || config.multipath(wwid) != null && s.equals(config.multipath(wwid).alias())) {
            return true;
        }
        for (PathRecord p : members) {
            if (p.info.dev().equals(dev) || p.info.devT().toString().equals(s)) {
                return true;
            }
        }
        return false;
    }

    /** find_multipaths: whether {@code wwid} gets a map with these paths. */
    boolean wanted(String wwid, List<PathRecord> members, MultipathConfig c) {
        if (maps.containsKey(wwid) || c.multipath(wwid) != null) {
            return true;
        }
        if (scope != null) {
            return true;
        }
        String mode = orDefault(c.defaults().string("find_multipaths"), "strict");
        return switch (mode) {
            case "no", "off", "greedy" -> true;
            case "strict" -> wwids.contains(wwid);
            default -> members.size() >= 2 || wwids.contains(wwid);
        };
    }

    String nameFor(String wwid, ResolvedSettings s, boolean bind) {
        if (s.multipath() != null && s.multipath().alias() != null) {
            return s.multipath().alias();
        }
        if (Policies.yes(s, "user_friendly_names")) {
            String prefix = orDefault(s.string("alias_prefix"), "mpath");
            try {
                if (bind) {
                    return bindings.bind(wwid, prefix, !options.dryRun());
                }
                String b = bindings.lookup(wwid);
                return b != null ? b : prefix + "? (new binding)";
            } catch (IOException e) {
                LOG.warn("{}: cannot write bindings file {}: {}; using the WWID as name", wwid, bindings.file(),
                        e.getMessage());
            }
        }
        return wwid;
    }

    /** Brings the map of {@code wwid} in line with its paths and the configuration; reloads only on change. */
    CompletableFuture<Void> updateMap(String wwid) {
        return updateMap(wwid, false);
    }

    /**
     * As {@link #updateMap(String)}; {@code force} creates the map even where find_multipaths or an
     * operator's `del map` would not (`add map`). Completes when the device-mapper has the result.
     */
    CompletableFuture<Void> updateMap(String wwid, boolean force) {
        List<PathRecord> members = members(wwid);
        MapRecord m = maps.get(wwid);
        if (m != null && m.flushing) {
            return CompletableFuture.completedFuture(null);
        }
        if (members.isEmpty()) {
            return m == null ? CompletableFuture.completedFuture(null) : membership.lastPathGone(m);
        }
        if (m == null) {
            boolean firstChecksPending = paths.values().stream().anyMatch(p -> mappable(p)
                    && p.info.wwid().equals(wwid) && p.state == PathState.UNCHECKED);
            if (firstChecksPending
                    || !force && (membership.held(wwid) || !inScope(wwid, members) || !wanted(wwid, members, config))) {
                return CompletableFuture.completedFuture(null);
            }
            m = new MapRecord(wwid);
            maps.put(wwid, m);
        }
        MapRecord map = m;
        for (PathRecord p : map.paths) {
            if (!members.contains(p)) {
                p.map = null;
            }
        }
        map.paths.clear();
        map.paths.addAll(members);
        members.forEach(p -> p.map = wwid);
        MapPlan plan = MapPlanner.plan(wwid, members, config, (w, s) -> nameFor(w, s, true), map.queueDisabled);
        plan.warnings().forEach(w -> LOG.warn("{}: {}", plan.name(), w));
        map.settings = plan.settings();
        map.sanPathErr = SanPathErr.select(plan.name(), plan.settings(), maxPollingInterval());
        if (map.created && !plan.name().equals(map.name)) {
            String old = map.name;
            map.name = plan.name();
            writer.rename(old, plan.name()).whenComplete((v, e) -> post(() -> {
                if (e != null) {
                    LOG.error("{}: rename to {} failed: {}", old, plan.name(), rootMessage(e));
                } else {
                    LOG.info("{}: renamed to {}", old, plan.name());
                }
            }));
        }
        map.name = plan.name();
        if (plan.params().equals(map.table)) {
            return CompletableFuture.completedFuture(null);
        }
        if (options.dryRun()) {
            // multipath -d: the plan is shown, nothing is loaded (the action prints empty, as 0.9.4's ACT_DRY_RUN)
            adopt(map, plan);
            map.live = true;
            map.action = "";
            LOG.info("{}: dry run: would create map ({}): {}", map.name, wwid,
                    MapTable.line(plan.sizeSectors(), plan.params()));
            return CompletableFuture.completedFuture(null);
        }
        if (!map.created && GhostDelay.holdsCreate(map, members, plan.settings())) {
            return CompletableFuture.completedFuture(null); // ghost_delay is the daemon's (is_daemon), not multipath -d's
        }
        for (PathRecord p : members) {
            try {
                p.io.device().ifPresent(d -> {
                    try {
                        dm.addBlockDevice(d);
                    } catch (DmException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
            } catch (IllegalStateException e) {
                LOG.error("{}: {}", p.name(), e.getMessage());
            }
        }
        boolean create = !map.created;
        adopt(map, plan);
        map.created = true;
        map.mapLoads++;
        map.action = create ? "create" : "reload";
        List<String> failed = members.stream().filter(p -> p.dmFailed || !usableForTable(p))
                .map(p -> p.info.devT().toString()).toList();
        members.forEach(p -> p.dmFailed = !usableForTable(p));
        String line = MapTable.line(plan.sizeSectors(), plan.params());
        LOG.info("{}: {} map ({}): {}", map.name, map.action, wwid, line);
        if (create) {
            try {
                wwids.add(wwid);
            } catch (IOException e) {
                LOG.warn("{}: cannot record WWID in {}: {}", map.name, "wwids file", e.getMessage());
            }
        }
        return writer.apply(map.name, "mpath-" + wwid, line, create, failed).whenComplete((v, e) -> post(() -> {
            if (e == null) {
                map.live = true;
                map.action = "";
                // as multipath-tools reads them back: what the target echoes (bio-based implies retain_attached_hw_handler)
                dm.find(map.name).map(md -> md.activeTable().lines(io.mapperd.dm.core.StatusType.TABLE))
                        .filter(l -> !l.isEmpty()).flatMap(l -> io.mapperd.multipathd.engine.table.MapTable.echoedFeatures(l.getFirst()))
                        .ifPresent(f -> map.features = f);
            } else {
                LOG.error("{}: {} failed: {}", map.name, create ? "create" : "reload", rootMessage(e));
                map.table = "";
                map.created = !create && map.created;
                if (create) {
                    maps.remove(wwid);
                    map.paths.forEach(p -> p.map = null);
                }
            }
            checking.refreshStatus(map);
            publish();
        }));
    }

    private static boolean usableForTable(PathRecord p) {
        return p.state.usable();
    }

    // ---- the loop ----

    /** Told how long each path check and each pass of the loop took (the daemon's metrics). */
    public interface CheckListener {
        void pathChecked(String map, String path, String result, long nanos);

        void checkerLoop(long nanos);
    }

    volatile CheckListener checkListener = new CheckListener() {
        @Override
        public void pathChecked(String map, String path, String result, long nanos) {
        }

        @Override
        public void checkerLoop(long nanos) {
        }
    };

    public void onChecks(CheckListener listener) {
        checkListener = listener;
    }

    private void tick() {
        long t0 = System.nanoTime();
        long now = now();
        for (PathRecord p : List.copyOf(paths.values())) {
            if (!p.checkPending && !p.checkerDisabled && now >= p.nextCheckMillis) {
                checking.start(p);
            }
        }
        if (now - lastMapTickMillis >= 1000) {
            lastMapTickMillis = now;
            for (MapRecord m : List.copyOf(maps.values())) {
                if (GhostDelay.tick(m)) {
                    updateMap(m.wwid);
                }
                checking.mapTick(m);
            }
        }
        if (!scanning && now - lastScanMillis >= options.rescanEvery().toMillis()) {
            rescan();
        }
        publish();
        checkListener.checkerLoop(System.nanoTime() - t0);
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    // ---- reconfigure ----

    /**
     * Reads the configuration again. It is parsed and checked in full first: a refused file changes
     * nothing and the result says why. A dry run reports the maps that would change; otherwise only
     * maps whose table changes are reloaded.
     */
    public CompletableFuture<ReconfigureResult> reconfigure(boolean dryRun) {
        return reconfigure(false, dryRun);
    }

    /** As {@link #reconfigure(boolean)}; {@code all} reloads every map, changed or not. */
    public CompletableFuture<ReconfigureResult> reconfigure(boolean all, boolean dryRun) {
        MultipathConfig next;
        try {
            next = ConfigLoader.load(options.configFile(), options.configDir());
        } catch (ConfigException e) {
            LOG.error("reconfigure refused, keeping the running configuration: {}", e.getMessage());
            return CompletableFuture.completedFuture(new ReconfigureResult(false, dryRun,
                    "reconfigure refused, configuration unchanged: " + e.getMessage(), List.of()));
        }
        return call(() -> new Reconfigure(this).run(next, dryRun, all)).thenCompose(r -> dryRun || !r.ok()
                ? CompletableFuture.completedFuture(r) : rescan().thenApply(v -> r));
    }

    // ---- operator actions (the command language calls these) ----

    /** fail path DEV: the path is failed in its map until a check finds it up again. */
    public CompletableFuture<String> failPath(String dev) {
        return call(() -> checking.operatorFail(dev));
    }

    /** reinstate path DEV. */
    public CompletableFuture<String> reinstatePath(String dev) {
        return call(() -> checking.operatorReinstate(dev));
    }

    /** add path DEV: "ok", or "blacklisted\n"; fails when the path cannot be found or mapped. */
    public CompletableFuture<String> addPath(String dev) {
        return call(() -> membership.addPath(dev)).thenCompose(f -> f);
    }

    /** del path DEV: out of its map, and not taken back by discovery until add path. */
    public CompletableFuture<String> delPath(String dev) {
        return call(() -> membership.delPath(dev)).thenCompose(f -> f);
    }

    /** add map NAME|WWID: the map made from its known paths ("blacklisted\n" for a blacklisted WWID). */
    public CompletableFuture<String> addMap(String nameOrWwid) {
        return call(() -> membership.addMap(nameOrWwid)).thenCompose(f -> f);
    }

    /** del map NAME: flushed (refused while open); its paths stay unmapped until add map. */
    public CompletableFuture<String> delMap(String map) {
        return call(() -> membership.delMap(map)).thenCompose(f -> f);
    }

    /** map MAP getprstatus: "1" when the map's prflag is set, else "0" (no newline, as multipathd). */
    public CompletableFuture<String> getPrStatus(String map) {
        return call(() -> reservations.getPrStatus(map));
    }

    /** map MAP setprstatus / unsetprstatus. */
    public CompletableFuture<String> setPrStatus(String map, boolean on) {
        return call(() -> reservations.setPrStatus(map, on));
    }

    /** map MAP getprkey: "0x1234\n" ("0x1234:aptpl\n") or "none\n". */
    public CompletableFuture<String> getPrKey(String map) {
        return call(() -> reservations.getPrKey(map));
    }

    /** map MAP setprkey key K: into the prkeys file; fails unless the map's reservation_key is "file". */
    public CompletableFuture<String> setPrKey(String map, String key) {
        return call(() -> reservations.setPrKey(map, key));
    }

    /** map MAP unsetprkey. */
    public CompletableFuture<String> unsetPrKey(String map) {
        return call(() -> reservations.unsetPrKey(map));
    }

    /** switchgroup MAP GROUP (1-based). */
    public CompletableFuture<String> switchGroup(String map, int group) {
        return call(() -> checking.switchGroup(findMap(map), group, "operator"));
    }

    /** disablequeueing / restorequeueing MAP. */
    public CompletableFuture<String> queueing(String map, boolean on) {
        return call(() -> checking.setQueueing(findMap(map), on));
    }

    /** suspend map / resume map. */
    public CompletableFuture<String> suspendMap(String map, boolean suspend) {
        return call(() -> findMap(map)).thenCompose(m -> (suspend ? writer.suspend(m.name) : writer.resume(m.name))
                .thenCompose(v -> call(() -> {
                    checking.refreshStatus(m);
                    publish();
                    return "ok";
                })));
    }

    /** reload map (also reset and resize): the table built again from what is known, loaded even if unchanged. */
    public CompletableFuture<String> reloadMap(String map) {
        return call(() -> {
            MapRecord m = findMap(map);
            m.table = "";
            updateMap(m.wwid);
            return "ok";
        });
    }

    /** reset map stats. */
    public CompletableFuture<String> resetStats(String map) {
        return call(() -> {
            MapRecord m = findMap(map);
            m.pathFaults = 0;
            m.switchGroups = 0;
            m.mapLoads = 0;
            m.totalQueueMillis = 0;
            m.queueTimeouts = 0;
            publish();
            return "ok";
        });
    }

    MapRecord findMap(String nameOrWwid) {
        for (MapRecord m : maps.values()) {
            if (m.name.equals(nameOrWwid) || m.wwid.equals(nameOrWwid)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no map " + nameOrWwid);
    }

    // ---- views ----

    void publish() {
        snapshot = new Snapshot(Views.paths(this), Views.maps(this));
    }

    @Override
    public List<PathView> paths() {
        return snapshot.paths();
    }

    @Override
    public List<MapView> maps() {
        return snapshot.maps();
    }

    /** Created maps' status read again from their targets, then published (see {@link TopologySource#refreshMaps}). */
    @Override
    public void refreshMaps(String map) {
        try {
            call(() -> {
                for (MapRecord m : maps.values()) {
                    if (m.created && (map == null || m.name.equals(map) || m.wwid.equals(map))) {
                        checking.refreshStatus(m);
                    }
                }
                publish();
                return null;
            }).get(REFRESH_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
            LOG.debug("topology shown without a fresh status: {}", x.toString());
        }
    }

    /** Waits until the engine thread has handled everything posted so far (for tests and commands). */
    public void sync() throws Exception {
        call(() -> null).get(30, TimeUnit.SECONDS);
    }

    /** The map record takes the table and its parts from the plan. */
    private static void adopt(MapRecord map, MapPlan plan) {
        map.table = plan.params();
        map.groups = plan.groups();
        map.features = plan.features();
        map.hwHandler = plan.hwHandler();
        map.selector = plan.selector();
        map.sizeSectors = plan.sizeSectors();
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        dm.removeListener(listener);
        try {
            call(() -> {
                closed = true;
                return null;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            closed = true;
        }
        thread.shutdownNow();
        writer.close();
        scanner.shutdownNow();
        for (PathSource s : sources) {
            s.close();
        }
    }
}
