package io.mapperd.multipathd.engine;

import io.mapperd.conf.PathIdentity;
import io.mapperd.multipathd.engine.state.MapRecord;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.engine.table.MapTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which paths and maps the engine keeps, as operators change it, after multipathd 0.9.4's
 * cli_add_path / cli_del_path / cli_add_map / cli_del_map (ev_add_path, ev_remove_path,
 * ev_add_map, flush_map):
 * <ul>
 * <li>{@code del path}: the path leaves the engine and its map is reloaded without it; discovery
 * does not take it back until {@code add path} (or a reconfigure, which discovers anew).</li>
 * <li>{@code add path}: a removed path (or one a fresh discovery finds by its name) is checked and
 * joins its map, which is reloaded, or created as find_multipaths allows; "blacklisted" when the
 * blacklist refuses it.</li>
 * <li>{@code del map}: the map is flushed, refused while open; its paths stay, unmapped, until
 * {@code add map} (or a reconfigure).</li>
 * <li>{@code add map}: the map for a WWID (or alias, binding) is created from its known paths,
 * whatever find_multipaths says.</li>
 * <li>The last path of a map gone: queueing off first when flush_on_last_del says so, then the map
 * is flushed; an open map stays, reloaded with no path groups (flush_map_nopaths).</li>
 * </ul>
 * Runs on the engine thread; replies complete once the device-mapper has the result.
 */
final class MapMembership {
    private static final Logger LOG = LoggerFactory.getLogger(MapMembership.class);
    static final String BLACKLISTED = "blacklisted\n";

    private final Engine e;
    /** Paths an operator removed, by key: their sources still see them. */
    private final Map<String, PathRecord> removed = new LinkedHashMap<>();
    /** WWIDs whose map an operator removed: no map until `add map`. */
    private final Set<String> held = new HashSet<>();

    MapMembership(Engine engine) {
        this.e = engine;
    }

    boolean removedByOperator(String key) {
        return removed.containsKey(key);
    }

    boolean held(String wwid) {
        return held.contains(wwid);
    }

    /** Removed paths of {@code source} that its last scan no longer returned: gone for good, to be closed. */
    List<PathRecord> vanished(String source, Set<String> keys) {
        List<PathRecord> out = new ArrayList<>();
        removed.values().removeIf(p -> {
            boolean gone = p.source.equals(source) && !keys.contains(p.info.key());
            if (gone) {
                out.add(p);
            }
            return gone;
        });
        return out;
    }

    /** A reconfigure discovers and maps anew, as multipathd's does: operator removals end. */
    void forgetOperatorChanges() {
        removed.values().forEach(MapMembership::closeChecker);
        removed.clear();
        held.clear();
    }

    // ---- paths ----

    CompletableFuture<String> delPath(String dev) {
        PathRecord p = find(dev);
        if (p == null) {
            throw new IllegalArgumentException(dev + ": path already removed");
        }
        e.paths.remove(p.info.key());
        p.removed = true;
        removed.put(p.info.key(), p);
        String wwid = p.map;
        LOG.info("{}: path removed (operator){}", p.name(), wwid == null ? "" : " from " + e.maps.get(wwid).name);
        e.publish();
        if (wwid == null) {
            return CompletableFuture.completedFuture("ok");
        }
        return e.updateMap(wwid).thenCompose(v -> e.writer.barrier()).handle((v, ex) -> {
            if (ex != null) {
                throw new IllegalStateException(dev + ": failed in domap for removal of path: " + Engine.rootMessage(ex), ex);
            }
            return "ok";
        }).thenCompose(MapMembership.this::published);
    }

    CompletableFuture<String> addPath(String dev) {
        if (e.config.blacklist().check(PathIdentity.of(dev, null, null, null), null).blacklisted()) {
            LOG.info("{}: path blacklisted", dev);
            return CompletableFuture.completedFuture(BLACKLISTED);
        }
        PathRecord p = known(dev);
        if (p != null) {
            return adopt(p);
        }
        return e.rescan().thenCompose(v -> e.call(() -> {
            PathRecord found = known(dev);
            if (found == null) {
                throw new IllegalArgumentException(dev + ": can't find path");
            }
            return adopt(found);
        })).thenCompose(f -> f);
    }

    /** ev_add_path: the path is checked, then joins (or makes) its map. */
    private CompletableFuture<String> adopt(PathRecord p) {
        if (p.blacklisted()) {
            LOG.info("{}: path blacklisted: {}", p.name(), p.blacklist.reason());
            return CompletableFuture.completedFuture(BLACKLISTED);
        }
        if (p.map != null) {
            return CompletableFuture.completedFuture("ok");
        }
        String wwid = p.info.wwid();
        if (wwid.isEmpty() || !p.mappable()) {
            throw new IllegalStateException(p.name() + ": failed to get path uid");
        }
        CompletableFuture<Void> checked = p.checkPending ? p.checkDone : e.checking.start(p);
        return checked.thenCompose(v -> e.call(() -> e.updateMap(wwid).exceptionally(x -> null)))
                .thenCompose(f -> f.thenCompose(v -> e.writer.barrier()))
                .thenCompose(v -> e.call(() -> {
                    MapRecord m = e.maps.get(wwid);
                    if (m != null && m.live && m.paths.contains(p)) {
                        LOG.info("{} [{}]: path added to devmap {}", p.name(), p.info.devT(), m.name);
                        return e.reservations.pathEvent(p, m).thenApply(done -> "ok");
                    }
                    if (m == null && (held(wwid) || !e.wanted(wwid, e.members(wwid), e.config))) {
                        LOG.info("{}: orphan path, {}", p.name(), held(wwid) ? "map removed by operator" : "only one path");
                        return CompletableFuture.completedFuture("ok");
                    }
                    throw new IllegalStateException(p.name() + ": failed to add path");
                })).thenCompose(f -> f);
    }

    /** Replies once the engine thread has taken in the device-mapper's answers and published them. */
    private CompletableFuture<String> published(String reply) {
        return e.call(() -> {
            e.publish();
            return reply;
        });
    }

    /** A path by name or MAJOR:MINOR: one the engine has, or one an operator removed (taken back). */
    private PathRecord known(String dev) {
        PathRecord p = find(dev);
        if (p != null) {
            return p;
        }
        for (PathRecord r : removed.values()) {
            if (r.name().equals(dev) || r.info.devT().toString().equals(dev)) {
                removed.remove(r.info.key());
                closeChecker(r);
                PathRecord back = new PathRecord(r.info, r.io, r.source);
                e.resolve(back);
                e.paths.put(back.info.key(), back);
                LOG.info("{}: path taken back (operator)", back.name());
                return back;
            }
        }
        return null;
    }

    private PathRecord find(String dev) {
        for (PathRecord p : e.paths.values()) {
            if (p.name().equals(dev) || p.info.devT().toString().equals(dev)) {
                return p;
            }
        }
        return null;
    }

    private static void closeChecker(PathRecord p) {
        if (p.checker != null) {
            p.checker.close();
            p.checker = null;
        }
    }

    // ---- maps ----

    CompletableFuture<String> addMap(String param) {
        if (e.config.blacklist().checkWwid(param).blacklisted()) {
            LOG.info("{}: map blacklisted", param);
            return CompletableFuture.completedFuture(BLACKLISTED);
        }
        for (MapRecord m : e.maps.values()) {
            if (m.live && (m.name.equals(param) || m.dmDev.equals(param))) {
                return CompletableFuture.completedFuture("ok");
            }
        }
        String wwid = refWwid(param);
        held.remove(wwid);
        if (e.members(wwid).isEmpty()) {
            throw new IllegalArgumentException(param + ": add map failed: no known path has WWID " + wwid);
        }
        return e.updateMap(wwid, true).exceptionally(x -> null).thenCompose(v -> e.writer.barrier())
                .thenCompose(v -> e.call(() -> {
                    MapRecord m = e.maps.get(wwid);
                    if (m != null && !m.live && m.ghostDelayTicks > 0) {
                        LOG.info("{}: map registered, waiting for an active path (ghost_delay)", m.name);
                        return "ok";
                    }
                    if (m == null || !m.live) {
                        throw new IllegalStateException(param + ": add map failed");
                    }
                    LOG.info("{}: devmap {} registered", m.name, m.dmDev);
                    return "ok";
                }));
    }

    /** get_refwwid for a map: a binding, then a multipaths alias, else the WWID itself. */
    private String refWwid(String param) {
        String w = e.bindings.wwidOf(param);
        if (w == null) {
            w = e.config.wwidForAlias(param);
        }
        return w == null ? param : w;
    }

    CompletableFuture<String> delMap(String name) {
        MapRecord m = e.findMap(name);
        if (m.flushing) {
            throw new IllegalStateException(m.name + ": a flush is already under way");
        }
        m.flushing = true;
        return e.writer.remove(m.name).handle((v, ex) -> ex).thenCompose(ex -> e.call(() -> {
            m.flushing = false;
            if (ex != null) {
                LOG.warn("{}: can't flush: {}", m.name, Engine.rootMessage(ex));
                e.updateMap(m.wwid);
                throw new IllegalStateException(m.name + ": can't flush: " + Engine.rootMessage(ex));
            }
            LOG.info("{}: map flushed", m.name);
            forget(m);
            held.add(m.wwid);
            e.publish();
            return "ok";
        }));
    }

    private void forget(MapRecord m) {
        e.maps.remove(m.wwid, m);
        m.live = false;
        m.paths.forEach(p -> p.map = null);
        m.paths.clear();
    }

    /** flush_map_nopaths: the map lost its last path. */
    CompletableFuture<Void> lastPathGone(MapRecord m) {
        m.paths.forEach(p -> p.map = null);
        m.paths.clear();
        if (!m.created) {
            e.maps.remove(m.wwid, m);
            return CompletableFuture.completedFuture(null);
        }
        if (Policies.yes(m.settings, "flush_on_last_del")) {
            LOG.info("{} Last path deleted, disabling queueing", m.name);
            m.retryTicks = 0;
            m.queueDisabled = true;
            e.writer.message(m.name, "fail_if_no_path");
        }
        m.flushing = true;
        return e.writer.remove(m.name).handle((v, ex) -> ex).thenCompose(ex -> e.call(() -> {
            m.flushing = false;
            if (ex == null) {
                LOG.info("{}: removed map after removing all paths", m.name);
                forget(m);
                e.publish();
                return e.members(m.wwid).isEmpty() ? CompletableFuture.<Void>completedFuture(null) : e.updateMap(m.wwid);
            }
            LOG.warn("{}: can't flush ({}): the map stays, without paths", m.name, Engine.rootMessage(ex));
            return e.members(m.wwid).isEmpty() ? loadWithoutPaths(m) : e.updateMap(m.wwid);
        })).thenCompose(f -> f);
    }

    /** An open map with no path left keeps its device, with a table of no path groups. */
    private CompletableFuture<Void> loadWithoutPaths(MapRecord m) {
        String features = MapTable.features(m.features, !m.queueDisabled && m.features.contains("queue_if_no_path"));
        String params = MapTable.params(features, m.hwHandler, m.selector, List.of(), 0, 1, false);
        m.table = params;
        m.features = features;
        m.groups = List.of();
        m.mapLoads++;
        String line = MapTable.line(m.sizeSectors, params);
        LOG.info("{}: reload map ({}): {}", m.name, m.wwid, line);
        return e.writer.apply(m.name, "mpath-" + m.wwid, line, false, List.of()).whenComplete((v, ex) -> e.post(() -> {
            if (ex != null) {
                LOG.error("{}: reload failed: {}", m.name, Engine.rootMessage(ex));
            }
            e.checking.refreshStatus(m);
            e.publish();
        }));
    }
}
