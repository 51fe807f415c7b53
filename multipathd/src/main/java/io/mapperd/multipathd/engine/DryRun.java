package io.mapperd.multipathd.engine;

import io.mapperd.conf.ConfigException;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * multipath(8)'s one-shot planning: the engine's own discovery (sysfs, the configured iSCSI portals
 * and NVMe controllers), one check and priority of every path, then find_multipaths, naming and
 * grouping as the daemon would do them, with nothing loaded or written (see
 * {@link EngineOptions#dryRun}). The engine runs only until every path has had its first check.
 */
public final class DryRun {
    private DryRun() {
    }

    /**
     * What a run found.
     *
     * @param paths every path that is not blacklisted, in discovery order, as multipath -v3 lists them
     *              before any map is made (orphans)
     * @param maps  the maps a run would create, in the order they were planned
     */
    public record Result(List<PathView> paths, List<MapView> maps) {
        public Result {
            paths = List.copyOf(paths);
            maps = List.copyOf(maps);
        }
    }

    /**
     * @param scope a WWID, alias, path name, /dev node or MAJOR:MINOR limiting the run to one map, or null
     * @param max   how long discovery and the first checks may take
     * @throws ConfigException  when the configuration is refused
     * @throws TimeoutException when paths are still unchecked after {@code max}
     */
    public static Result run(EngineOptions options, String scope, Duration max)
            throws ConfigException, IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        try (DeviceMapper dm = new DeviceMapper();
             Engine e = Engine.start(dm, options.withDryRun(true), scope)) {
            try {
                e.firstScan.get(max.toMillis(), TimeUnit.MILLISECONDS);
                while (!e.call(() -> allChecked(e)).get(max.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("paths still unchecked after " + max.toSeconds() + " s");
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                return e.call(() -> result(e)).get(max.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IOException(Engine.rootMessage(ex), ex);
            }
        }
    }

    private static boolean allChecked(Engine e) {
        for (PathRecord p : e.paths.values()) {
            if (e.mappable(p) && (p.state == PathState.UNCHECKED || p.checkPending)) {
                return false;
            }
        }
        return true;
    }

    private static Result result(Engine e) {
        e.publish();
        List<PathView> paths = new ArrayList<>();
        for (PathRecord p : e.paths.values()) {
            if (!p.blacklisted() && !p.removed) {
                PathView v = Views.path(e, p);
                // listed as multipath -v3 lists them: before they are put in maps
                paths.add(new PathView(v.dev(), v.devT(), v.hcil(), v.wwid(), v.vendor(), v.product(), v.revision(),
                        v.serial(), v.protocol(), "undef", v.devState(), v.checkerState(), v.checker(),
                        v.nextCheckSecs(), v.checkIntervalSecs(), v.priority(), v.sizeSectors(), "[orphan]",
                        v.marginal(), v.failures(), v.hostWwnn(), v.targetWwnn(), v.hostWwpn(), v.targetWwpn(),
                        v.hostAdapter(), v.tpg(), v.initState()));
            }
        }
        return new Result(paths, e.maps());
    }
}
