package io.mapperd.multipathd.engine;

import io.mapperd.conf.ResolvedSettings;
import io.mapperd.conf.Source;
import io.mapperd.checkers.CheckResult;
import io.mapperd.checkers.Checker;
import io.mapperd.checkers.CheckerRegistry;
import io.mapperd.multipathd.engine.check.PathAdapter;
import io.mapperd.multipathd.engine.group.PathGroup;
import io.mapperd.multipathd.engine.prio.AnaPrioritizer;
import io.mapperd.prioritizers.Prioritizer;
import io.mapperd.prioritizers.PrioritizerRegistry;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.engine.table.MultipathStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The checker loop's decisions, as multipathd's check_path: run the path's checker (bounded by
 * checker_timeout) and prioritizer, move the path through its states, fail or reinstate it in the
 * table, adapt its polling interval, hold back flapping paths (san_path_err_*) and marginal ones
 * (marginal_path_*), fail back as the failback policy says, and count no_path_retry down. Runs on
 * the engine thread, except the checks themselves.
 */
final class PathChecking {
    private static final Logger LOG = LoggerFactory.getLogger(PathChecking.class);

    private final Engine e;

    PathChecking(Engine engine) {
        this.e = engine;
    }

    private static final Prioritizer ANA = new AnaPrioritizer();
    /** Prioritizers may block on their commands: each call gets a virtual thread. */
    private final ExecutorService prioThreads = Executors.newVirtualThreadPerTaskExecutor();

    private record Outcome(PathState state, String message, Integer priority) {
    }

    // ---- checks ----

    /** Starts a check of {@code p}; the future completes on the engine thread once its result is applied. */
    CompletableFuture<Void> start(PathRecord p) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        p.checkPending = true;
        p.checkDone = done;
        long t0 = System.nanoTime();
        Checker checker = checker(p);
        PathAdapter path = new PathAdapter(p.info, p.io);
        CompletableFuture<CheckResult> check;
        io.mapperd.checkers.PathState device = p.io.deviceState();
        try {
            check = device == io.mapperd.checkers.PathState.UP ? checker.check(path)
                    : CompletableFuture.completedFuture(new CheckResult(device,
                    "device state " + device.name().toLowerCase(java.util.Locale.ROOT) + ", checker not called"));
        } catch (RuntimeException ex) {
            check = CompletableFuture.failedFuture(ex);
        }
        Duration timeout = checker.timeout();
        check.exceptionally(ex -> CheckResult.of(checker.name(), io.mapperd.checkers.PathState.DOWN,
                        " failed: " + Engine.rootMessage(ex)))
                .thenCompose(r -> {
                    PathState st = state(r.state());
                    if (st.usable() && !p.io.healthy()) {
                        return CompletableFuture.completedFuture(new Outcome(PathState.DOWN,
                                r.message() + "; transport " + p.io.transportState() + ": path is down", null));
                    }
                    return st.usable() ? priority(p, path, timeout).thenApply(prio -> new Outcome(st, r.message(), prio))
                            : CompletableFuture.completedFuture(new Outcome(st, r.message(), null));
                })
                .whenComplete((o, ex) -> {
                    Outcome out = o != null ? o : new Outcome(PathState.DOWN, String.valueOf(ex), null);
                    long took = System.nanoTime() - t0;
                    e.post(() -> {
                        // on the engine thread, where the maps may be read: metrics name maps as operators do
                        MapRecord m = p.map != null ? e.maps.get(p.map) : null;
                        e.checkListener.pathChecked(m != null ? m.name : "[orphan]", p.name(),
                                out.state().name().toLowerCase(java.util.Locale.ROOT), took);
                        try {
                            checked(p, out);
                        } finally {
                            done.complete(null);
                        }
                    });
                });
        return done;
    }

    /** The path's checker instance, made again when path_checker or checker_timeout change. */
    private static Checker checker(PathRecord p) {
        String name = p.settings.string("path_checker");
        if (name == null || name.isBlank()) {
            name = "tur";
        }
        int secs = Policies.intValue(p.settings, "checker_timeout", 0);
        Duration timeout = secs > 0 ? Duration.ofSeconds(secs) : CheckerRegistry.DEFAULT_TIMEOUT;
        String key = name + "/" + timeout;
        if (p.checker == null || !key.equals(p.checkerKey)) {
            if (p.checker != null) {
                p.checker.close();
            }
            try {
                p.checker = CheckerRegistry.builtin().create(name, timeout);
            } catch (IllegalArgumentException ex) {
                LOG.warn("{}: {}; using tur", p.name(), ex.getMessage());
                p.checker = CheckerRegistry.builtin().create("tur", timeout);
            }
            p.checkerKey = key;
        }
        return p.checker;
    }

    /** path-checkers' states as ours; a vanished LUN is down, a checker that cannot judge leaves the path as it is. */
    private static PathState state(io.mapperd.checkers.PathState s) {
        return switch (s) {
            case DISCONNECTED -> PathState.DOWN;
            default -> PathState.valueOf(s.name());
        };
    }

    /** The path's priority, or null when the prioritizer cannot tell (the last known one is kept). */
    private CompletableFuture<Integer> priority(PathRecord p, PathAdapter path, Duration timeout) {
        Prioritizer prio = prioritizer(p);
        String args = p.settings.string("prio_args");
        return CompletableFuture.supplyAsync(() -> prio.getprio(path, args == null ? "" : args, timeout), prioThreads)
                .handle((v, ex) -> {
                    if (ex != null || v == null || v < 0) {
                        LOG.debug("{}: {} prioritizer: {}", p.name(), prio.name(), ex != null ? Engine.rootMessage(ex) : v);
                        return null;
                    }
                    return v;
                });
    }

    /**
     * prio from the configuration; with detect_prio, unless prio was set, as multipath-tools'
     * detect_prio: ana for an NVMe path whose controller reports ANA, alua for a SCSI path that
     * reports ALUA.
     */
    static Prioritizer prioritizer(PathRecord p) {
        ResolvedSettings s = p.settings;
        String name = s.string("prio");
        // multipath-tools' detect_prio wins over the built-in table; here a prio the configuration file sets wins too
        boolean explicit = s.origin("prio") != null && s.origin("prio").source() != Source.BUILTIN_DEFAULT
                && s.origin("prio").source() != Source.HWTABLE;
        if (!explicit && Policies.yes(s, "detect_prio")) {
            if (p.io.scsi().isPresent() && p.io.scsi().get().standardInquiry().alua()) {
                name = "alua";
            } else if (p.io.sysfsDir().isPresent()
                    && Files.isReadable(p.io.sysfsDir().get().resolve("access_state"))) {
                // the kernel's ALUA device handler keeps access_state: multipath-tools then reads the prio there
                name = "sysfs";
            } else if (reportsAna(p)) {
                name = "ana";
            }
        }
        if ("ana".equals(name)) {
            return ANA;
        }
        try {
            return PrioritizerRegistry.builtin().get(name == null ? "const" : name);
        } catch (IllegalArgumentException ex) {
            LOG.debug("{}: {}; using const", p.name(), ex.getMessage());
            return PrioritizerRegistry.builtin().get("const");
        }
    }

    /** An NVMe path whose controller reports ANA (Identify Controller CMIC bit 3), ours or one found in sysfs. */
    static boolean reportsAna(PathRecord p) {
        if (p.io.device().orElse(null) instanceof io.mapperd.transport.nvmetcp.NvmeNamespace ns) {
            return ns.controller().identify().anaReporting();
        }
        return p.info.protocol().startsWith("nvme") && p.io.sysfsDir()
                .map(d -> java.nio.file.Files.exists(d.resolve("ana_state"))).orElse(false);
    }

    private void checked(PathRecord p, Outcome o) {
        p.checkPending = false;
        if (p.removed) {
            return;
        }
        long now = Engine.now();
        PathState old = p.state;
        PathState st = o.state();
        p.message = o.message();
        MapRecord m = p.map == null ? null : e.maps.get(p.map);
        boolean firstCheck = old == PathState.UNCHECKED;
        if (st == PathState.PENDING) {
            p.nextCheckMillis = now + 1000;
            if (firstCheck) {
                p.state = PathState.PENDING;
            }
            return;
        }
        boolean prioChanged = false;
        if (o.priority() != null && o.priority() != p.priority) {
            if (p.priority >= 0) {
                LOG.info("{}: priority changed from {} to {}", p.name(), p.priority, o.priority());
            }
            p.priority = o.priority();
            prioChanged = true;
        }
        boolean reinstated = false;
        if (st.usable()) {
            SanPathErr san = m == null ? SanPathErr.OFF : m.sanPathErr;
            if (!firstCheck && san.holdBack(p, old, othersActive(m, p), now)) {
                st = PathState.DELAYED;
                p.message = "path is flapping: reinstate held back (san_path_err_recovery_time)";
            } else if (p.dmFailed || old == PathState.DELAYED || firstCheck) {
                if (p.marginal && now < p.marginalUntilMillis) {
                    st = PathState.DELAYED;
                    p.message = "marginal path: rechecked after marginal_path_err_recheck_gap_time";
                } else if (p.sampling) {
                    // io_err_disable_reinstate: no reinstate while the I/O sample runs
                    st = PathState.DELAYED;
                } else if (m != null && p.dmFailed && needsSampling(p, now)) {
                    st = PathState.DELAYED;
                    sample(p);
                } else if (m != null && p.dmFailed) {
                    reinstate(p, m, "checker");
                    reinstated = true;
                }
                if (m != null && m.prflag && !firstCheck) {
                    LOG.info("{}: checking persistent reservation registration", p.name());
                    e.reservations.pathEvent(p, m);
                }
            }
        } else if (st != PathState.UNCHECKED && st != PathState.WILD) {
            if (m != null && !p.dmFailed) {
                fail(p, m, "checker");
            } else if (old.usable() && !firstCheck) {
                countFailure(p, now);
            }
        }
        if (old != st && !firstCheck) {
            LOG.info("{}: {} checker state {} -> {} ({})", p.name(), mapName(m), old.text(), st.text(), p.message);
        }
        p.state = st;
        int poll = e.pollingInterval();
        p.checkIntervalSecs = old == st && st.usable()
                ? Math.min(Math.max(poll, p.checkIntervalSecs * 2), e.maxPollingInterval()) : poll;
        p.nextCheckMillis = now + p.checkIntervalSecs * 1000L;
        if (m == null) {
            if (e.mappable(p)) {
                e.updateMap(p.info.wwid());
            }
        } else {
            if (prioChanged || !m.created && m.ghostDelayTicks > 0 && st == PathState.UP) {
                e.updateMap(m.wwid);
            }
            failback(m, p, reinstated);
        }
        e.publish();
    }

    private static String mapName(MapRecord m) {
        return m == null ? "[orphan]" : m.name;
    }

    // ---- failing and reinstating ----

    private void fail(PathRecord p, MapRecord m, String why) {
        p.dmFailed = true;
        countFailure(p, Engine.now());
        m.pathFaults++;
        LOG.warn("{}: {}: failing path {} ({})", m.name, p.name(), p.info.devT(), why);
        pathMessage(p, m, "fail_path");
    }

    private void reinstate(PathRecord p, MapRecord m, String why) {
        p.dmFailed = false;
        LOG.info("{}: {}: reinstating path {} ({})", m.name, p.name(), p.info.devT(), why);
        pathMessage(p, m, "reinstate_path");
    }

    private void pathMessage(PathRecord p, MapRecord m, String verb) {
        if (!m.created) {
            return; // no table (a dry run's plan, or a map waiting on ghost_delay): the create fails the paths it must
        }
        p.dmMessagesInFlight++;
        e.writer.message(m.name, verb, p.info.devT().toString()).whenComplete((v, ex) -> e.post(() -> {
            p.dmMessagesInFlight--;
            if (ex != null) {
                LOG.warn("{}: {} {}: {}", m.name, verb, p.info.devT(), Engine.rootMessage(ex));
            }
        }));
    }

    /** A failure of a path: the failure count, and its time for marginal_path_double_failed_time. */
    private void countFailure(PathRecord p, long now) {
        p.failures++;
        p.previousFailMillis = p.lastFailMillis;
        p.lastFailMillis = now;
    }

    /** The map's active paths besides {@code p} (count_active_paths, less the path being checked). */
    private static int othersActive(MapRecord m, PathRecord p) {
        int n = 0;
        if (m == null) {
            return 0;
        }
        for (PathRecord q : m.paths) {
            if (q != p && !q.dmFailed) {
                n++;
            }
        }
        return n;
    }

    /** marginal_path_double_failed_time: a path that failed twice that close together is tested before reinstating. */
    private static boolean needsSampling(PathRecord p, long now) {
        ResolvedSettings s = p.settings;
        int dbl = Policies.intValue(s, "marginal_path_double_failed_time", 0);
        int sample = Policies.intValue(s, "marginal_path_err_sample_time", 0);
        int rate = Policies.intValue(s, "marginal_path_err_rate_threshold", -1);
        int gap = Policies.intValue(s, "marginal_path_err_recheck_gap_time", 0);
        if (dbl <= 0 || sample <= 0 || rate < 0 || gap <= 0 || p.sampling) {
            return false;
        }
        return p.marginal || (p.previousFailMillis != Long.MIN_VALUE && p.lastFailMillis - p.previousFailMillis <= dbl * 1000L);
    }

    /** Sends reads down the path for marginal_path_err_sample_time and decides on its error rate. */
    private void sample(PathRecord p) {
        p.sampling = true;
        ResolvedSettings s = p.settings;
        int secs = Policies.intValue(s, "marginal_path_err_sample_time", 0);
        int threshold = Policies.intValue(s, "marginal_path_err_rate_threshold", 0);
        int gap = Policies.intValue(s, "marginal_path_err_recheck_gap_time", 0);
        LOG.info("{}: failed twice within marginal_path_double_failed_time: sampling I/O for {} s", p.name(), secs);
        MarginalSampler.run(p.io, secs).whenComplete((r, ex) -> e.post(() -> {
            p.sampling = false;
            if (p.removed) {
                return;
            }
            long errorsPerThousand = r == null ? 1000 : r.errorsPerThousand();
            MapRecord m = p.map == null ? null : e.maps.get(p.map);
            if (errorsPerThousand > threshold) {
                p.marginal = true;
                p.marginalUntilMillis = Engine.now() + gap * 1000L;
                LOG.warn("{}: marginal: {} errors per thousand I/Os (threshold {}); kept out for {} s",
                        p.name(), errorsPerThousand, threshold, gap);
                p.state = PathState.DELAYED;
            } else {
                p.marginal = false;
                p.previousFailMillis = Long.MIN_VALUE;
                LOG.info("{}: I/O sample clean ({} per thousand): reinstating", p.name(), errorsPerThousand);
                p.state = PathState.UP;
                if (m != null && p.dmFailed) {
                    reinstate(p, m, "marginal test passed");
                    failback(m, p, true);
                }
            }
            p.nextCheckMillis = Engine.now();
            e.publish();
        }));
    }

    // ---- failback and groups ----

    /** The best group with a usable path now: highest live priority, then table order (1-based; 0 when none). */
    int bestGroup(MapRecord m) {
        int best = 0;
        int bestPrio = Integer.MIN_VALUE;
        for (int i = 0; i < m.groups.size(); i++) {
            int sum = 0;
            int n = 0;
            for (var gm : m.groups.get(i).members()) {
                PathRecord p = byDevT(m, gm.devT().toString());
                if (p != null && !p.dmFailed) {
                    sum += Math.max(p.priority, 0);
                    n++;
                }
            }
            if (n > 0 && sum / n > bestPrio && !m.groups.get(i).marginal()) {
                bestPrio = sum / n;
                best = i + 1;
            }
        }
        return best;
    }

    private static PathRecord byDevT(MapRecord m, String devT) {
        for (PathRecord p : m.paths) {
            if (p.info.devT().toString().equals(devT)) {
                return p;
            }
        }
        return null;
    }

    private void failback(MapRecord m, PathRecord changed, boolean reinstated) {
        refreshStatus(m);
        if (m.status == null) {
            return;
        }
        int best = bestGroup(m);
        int cur = m.status.currentGroup();
        if (best == 0 || best == cur) {
            m.failbackTicks = 0;
            return;
        }
        int fb = Policies.failback(m.settings);
        switch (fb) {
            case Policies.FAILBACK_IMMEDIATE -> switchGroup(m, best, "failback immediate");
            case Policies.FAILBACK_MANUAL -> { }
            case Policies.FAILBACK_FOLLOWOVER -> {
                if (reinstated && groupOf(m, changed) == best && onlyUsableInGroup(m, changed)) {
                    switchGroup(m, best, "failback followover");
                }
            }
            default -> {
                if (m.failbackTicks == 0) {
                    m.failbackTicks = fb;
                    LOG.info("{}: failback to group {} in {} s", m.name, best, fb);
                }
            }
        }
    }

    private static int groupOf(MapRecord m, PathRecord p) {
        for (int i = 0; i < m.groups.size(); i++) {
            for (var gm : m.groups.get(i).members()) {
                if (gm.devT().equals(p.info.devT())) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static boolean onlyUsableInGroup(MapRecord m, PathRecord p) {
        int g = groupOf(m, p);
        if (g == 0) {
            return false;
        }
        for (var gm : m.groups.get(g - 1).members()) {
            PathRecord q = byDevT(m, gm.devT().toString());
            if (q != null && q != p && !q.dmFailed) {
                return false;
            }
        }
        return true;
    }

    String switchGroup(MapRecord m, int group, String why) {
        if (group < 1 || group > m.groups.size()) {
            throw new IllegalArgumentException(m.name + ": no path group " + group + " (have " + m.groups.size() + ")");
        }
        m.switchGroups++;
        m.failbackTicks = 0;
        m.action = "switchpg";
        LOG.info("{}: switching to path group #{} ({})", m.name, group, why);
        e.writer.message(m.name, "switch_group", Integer.toString(group)).whenComplete((v, ex) -> e.post(() -> {
            if (ex != null) {
                LOG.warn("{}: switch_group {}: {}", m.name, group, Engine.rootMessage(ex));
            }
            m.action = "";
            refreshStatus(m);
            e.publish();
        }));
        return "ok";
    }

    // ---- per-second work of a map ----

    void mapTick(MapRecord m) {
        if (!m.created) {
            return;
        }
        refreshStatus(m);
        long now = Engine.now();
        long valid = m.paths.stream().filter(p -> !p.dmFailed).count();
        int npr = Policies.noPathRetry(m.settings);
        if (valid == 0) {
            if (m.queueingSinceMillis < 0) {
                m.queueingSinceMillis = now;
            }
            if (npr > 0 && !m.queueDisabled) {
                if (m.retryTicks == 0) {
                    m.retryTicks = npr * e.pollingInterval();
                    LOG.warn("{}: Entering recovery mode: max_retries={}", m.name, npr);
                } else if (--m.retryTicks == 0) {
                    m.queueDisabled = true;
                    m.queueTimeouts++;
                    LOG.warn("{}: Disable queueing: no_path_retry {} checks ran out", m.name, npr);
                    e.writer.message(m.name, "fail_if_no_path");
                }
            }
        } else {
            if (m.queueingSinceMillis >= 0) {
                m.totalQueueMillis += now - m.queueingSinceMillis;
                m.queueingSinceMillis = -1;
            }
            if (m.retryTicks > 0 || m.queueDisabled) {
                if (m.queueDisabled && npr > 0) {
                    LOG.info("{}: a path is back: queue_if_no_path enabled again", m.name);
                    e.writer.message(m.name, "queue_if_no_path");
                }
                m.queueDisabled = false;
                m.retryTicks = 0;
            }
        }
        if (m.failbackTicks > 0 && --m.failbackTicks == 0) {
            int best = bestGroup(m);
            if (best != 0 && m.status != null && best != m.status.currentGroup()) {
                switchGroup(m, best, "failback after " + Policies.failback(m.settings) + " s");
            }
        }
    }

    void refreshStatus(MapRecord m) {
        String s = e.writer.status(m.name);
        if (s == null) {
            return;
        }
        try {
            m.status = MultipathStatus.parse(s);
        } catch (IllegalArgumentException ex) {
            LOG.warn("{}: {}", m.name, ex.getMessage());
        }
        e.writer.device(m.name).ifPresent(md -> {
            m.dmDev = "dm-" + md.devT().minor();
            m.suspended = md.suspended();
        });
    }

    /** A device event: paths the target failed on I/O are taken as down and checked at once. */
    void mapEvent(String name) {
        MapRecord m = null;
        for (MapRecord x : e.maps.values()) {
            if (x.name.equals(name)) {
                m = x;
            }
        }
        if (m == null) {
            return;
        }
        refreshStatus(m);
        if (m.status == null) {
            return;
        }
        long now = Engine.now();
        for (PathRecord p : m.paths) {
            Boolean active = m.status.paths().get(p.info.devT().toString());
            if (active == null || p.dmMessagesInFlight > 0) {
                continue;
            }
            if (!active && !p.dmFailed) {
                p.dmFailed = true;
                m.pathFaults++;
                countFailure(p, now);
                LOG.warn("{}: {}: path {} failed on I/O; checking it now", m.name, p.name(), p.info.devT());
                if (p.state.usable()) {
                    p.state = PathState.DOWN;
                    p.message = "failed on I/O";
                }
                p.checkIntervalSecs = e.pollingInterval();
                p.nextCheckMillis = now;
                if (!p.checkPending && !p.checkerDisabled) {
                    start(p);
                }
            } else if (active && p.dmFailed && p.state.usable()) {
                p.dmFailed = false;
            }
        }
        e.publish();
    }

    // ---- operators ----

    /** fail path: failed in the table, and not checked until an operator reinstates it, as multipathd. */
    String operatorFail(String dev) {
        PathRecord p = path(dev);
        MapRecord m = p.map == null ? null : e.maps.get(p.map);
        if (m == null) {
            throw new IllegalArgumentException(dev + " is not in a map");
        }
        if (!p.dmFailed) {
            fail(p, m, "operator");
        }
        p.state = PathState.DOWN;
        p.message = "failed by operator";
        p.checkerDisabled = true;
        e.publish();
        return "ok";
    }

    /**
     * reinstate path: checking resumes and the path is reinstated at once, unless it failed twice
     * within marginal_path_double_failed_time: then it is sampled first, as a checker-found return is.
     */
    String operatorReinstate(String dev) {
        PathRecord p = path(dev);
        MapRecord m = p.map == null ? null : e.maps.get(p.map);
        if (m == null) {
            throw new IllegalArgumentException(dev + " is not in a map");
        }
        p.checkerDisabled = false;
        if (p.dmFailed) {
            if (needsSampling(p, Engine.now())) {
                p.state = PathState.DELAYED;
                sample(p);
            } else {
                reinstate(p, m, "operator");
                p.state = PathState.UP;
                failback(m, p, true);
            }
        }
        p.nextCheckMillis = Engine.now() + e.pollingInterval() * 1000L;
        e.publish();
        return "ok";
    }

    String setQueueing(MapRecord m, boolean on) {
        m.queueDisabled = !on;
        m.retryTicks = 0;
        e.writer.message(m.name, on ? "queue_if_no_path" : "fail_if_no_path");
        return "ok";
    }

    private PathRecord path(String dev) {
        for (PathRecord p : e.paths.values()) {
            if (p.name().equals(dev) || p.info.devT().toString().equals(dev)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no path " + dev);
    }

    List<PathGroup> groups(MapRecord m) {
        return m.groups;
    }
}
