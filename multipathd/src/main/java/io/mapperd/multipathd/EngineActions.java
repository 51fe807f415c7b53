package io.mapperd.multipathd;

import io.mapperd.conf.MultipathConfig;
import io.mapperd.multipathd.command.ActionResult;
import io.mapperd.multipathd.command.DaemonActions;
import io.mapperd.multipathd.engine.Engine;
import io.mapperd.multipathd.engine.ReconfigureResult;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command language's actions and topology over the policy engine. Until the engine runs (and
 * in a daemon whose engine could not start) the configuration-only answers stand in.
 */
final class EngineActions implements DaemonActions, TopologySource {
    private static final long WAIT_SECONDS = 60;

    private final ConfigOnlyActions fallback;
    private volatile Engine engine;
    private volatile String state = "startup";

    EngineActions(ConfigOnlyActions fallback) {
        this.fallback = fallback;
    }

    void attach(Engine e) {
        engine = e;
        state = "idle";
    }

    void stopWith(Runnable stop) {
        fallback.stopWith(stop);
    }

    @Override
    public List<PathView> paths() {
        Engine e = engine;
        return e == null ? List.of() : e.paths();
    }

    @Override
    public List<MapView> maps() {
        Engine e = engine;
        return e == null ? List.of() : e.maps();
    }

    @Override
    public void refreshMaps(String map) {
        Engine e = engine;
        if (e != null) {
            e.refreshMaps(map);
        }
    }

    private static ActionResult await(CompletableFuture<String> f) {
        try {
            String r = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return r == null || r.equals("ok") ? ActionResult.ok() : ActionResult.ok(r);
        } catch (java.util.concurrent.ExecutionException x) {
            Throwable c = x.getCause();
            return ActionResult.fail(c.getMessage() == null ? c.toString() : c.getMessage());
        } catch (java.util.concurrent.TimeoutException x) {
            return ActionResult.fail("the engine did not answer within " + WAIT_SECONDS + " s");
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return ActionResult.fail("interrupted");
        }
    }

    private ActionResult withEngine(java.util.function.Function<Engine, CompletableFuture<String>> op,
                                    java.util.function.Supplier<ActionResult> otherwise) {
        Engine e = engine;
        return e == null ? otherwise.get() : await(op.apply(e));
    }

    @Override
    public ActionResult failPath(String dev) {
        return withEngine(e -> e.failPath(dev), () -> fallback.failPath(dev));
    }

    @Override
    public ActionResult reinstatePath(String dev) {
        return withEngine(e -> e.reinstatePath(dev), () -> fallback.reinstatePath(dev));
    }

    @Override
    public ActionResult addPath(String dev) {
        return withEngine(e -> e.addPath(dev), () -> fallback.addPath(dev));
    }

    @Override
    public ActionResult delPath(String dev) {
        return withEngine(e -> e.delPath(dev), () -> fallback.delPath(dev));
    }

    @Override
    public ActionResult addMap(String nameOrWwid) {
        return withEngine(e -> e.addMap(nameOrWwid), () -> fallback.addMap(nameOrWwid));
    }

    @Override
    public ActionResult delMap(String map) {
        return withEngine(e -> e.delMap(map), () -> fallback.delMap(map));
    }

    @Override
    public ActionResult getPrStatus(String map) {
        return withEngine(e -> e.getPrStatus(map), () -> fallback.getPrStatus(map));
    }

    @Override
    public ActionResult setPrStatus(String map, boolean on) {
        return withEngine(e -> e.setPrStatus(map, on), () -> fallback.setPrStatus(map, on));
    }

    @Override
    public ActionResult getPrKey(String map) {
        return withEngine(e -> e.getPrKey(map), () -> fallback.getPrKey(map));
    }

    @Override
    public ActionResult setPrKey(String map, String key) {
        return withEngine(e -> e.setPrKey(map, key), () -> fallback.setPrKey(map, key));
    }

    @Override
    public ActionResult unsetPrKey(String map) {
        return withEngine(e -> e.unsetPrKey(map), () -> fallback.unsetPrKey(map));
    }

    @Override
    public ActionResult suspendMap(String map) {
        return withEngine(e -> e.suspendMap(map, true), () -> fallback.suspendMap(map));
    }

    @Override
    public ActionResult resumeMap(String map) {
        return withEngine(e -> e.suspendMap(map, false), () -> fallback.resumeMap(map));
    }

    @Override
    public ActionResult reloadMap(String map) {
        return withEngine(e -> e.reloadMap(map), () -> fallback.reloadMap(map));
    }

    @Override
    public ActionResult resetMap(String map) {
        return withEngine(e -> e.reloadMap(map), () -> fallback.resetMap(map));
    }

    @Override
    public ActionResult resizeMap(String map) {
        return withEngine(e -> e.reloadMap(map), () -> fallback.resizeMap(map));
    }

    @Override
    public ActionResult switchGroup(String map, int group) {
        return withEngine(e -> e.switchGroup(map, group), () -> fallback.switchGroup(map, group));
    }

    @Override
    public ActionResult disableQueueing(String map) {
        return withEngine(e -> e.queueing(map, false), () -> fallback.disableQueueing(map));
    }

    @Override
    public ActionResult restoreQueueing(String map) {
        return withEngine(e -> e.queueing(map, true), () -> fallback.restoreQueueing(map));
    }

    @Override
    public ActionResult resetStats(String map) {
        return withEngine(e -> e.resetStats(map), () -> fallback.resetStats(map));
    }

    /**
     * The file is read and checked first (the configuration-only answers: a refusal names the file
     * and why); then the engine applies it. A dry run replies with the configuration's difference
     * followed by the maps that would change.
     */
    @Override
    public ActionResult reconfigure(boolean all, boolean dryRun) {
        Engine e = engine;
        ActionResult checked = fallback.reconfigure(all, true);
        if (e == null && !dryRun) {
            return fallback.reconfigure(all, false);
        }
        if (e == null || !checked.succeeded()) {
            return dryRun ? checked : ActionResult.fail(checked.reason());
        }
        state = "configure";
        try {
            ReconfigureResult r = e.reconfigure(all, dryRun).get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!r.ok()) {
                return ActionResult.fail(dryRun ? r.message() + "\n" : "", r.message());
            }
            if (!dryRun) {
                fallback.reconfigure(all, false);
                return ActionResult.ok();
            }
            StringBuilder b = new StringBuilder(checked.reply().equals("no change\n") ? "" : checked.reply());
            r.changes().forEach(c -> b.append(c).append('\n'));
            return ActionResult.ok(b.isEmpty() ? "no change\n" : b.toString());
        } catch (Exception x) {
            return ActionResult.fail("reconfigure: " + x);
        } finally {
            state = "idle";
        }
    }

    @Override
    public ActionResult shutdown() {
        state = "shutdown";
        return fallback.shutdown();
    }

    @Override
    public MultipathConfig config() {
        Engine e = engine;
        return e == null ? fallback.config() : e.config();
    }

    @Override
    public String state() {
        return engine == null ? fallback.state() : state;
    }
}
