package io.mapperd.multipathd;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.ConfigPrinter;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.multipathd.command.ActionResult;
import io.mapperd.multipathd.command.DaemonActions;
import io.mapperd.multipathd.command.LineDiff;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's operator actions when no policy engine runs in it (a daemon that serves dmsetup
 * and its configuration only): it has no paths and no maps, so every path or map action fails
 * saying so; reconfigure re-reads the configuration file (a file with errors leaves the running
 * configuration in place), and shutdown stops the daemon.
 */
final class ConfigOnlyActions implements DaemonActions, TopologySource {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigOnlyActions.class);
    private static final String NO_ENGINE = "no path policy runs in this daemon: it knows no paths or maps";

    private final Optional<Path> file;
    private volatile Runnable stop = () -> { };
    private volatile MultipathConfig config;
    private volatile String state = "idle";

    ConfigOnlyActions(Optional<Path> file) throws ConfigException {
        this.file = file;
        this.config = load();
    }

    /** What {@link #shutdown} runs (the daemon's close). */
    void stopWith(Runnable stop) {
        this.stop = stop;
    }

    private MultipathConfig load() throws ConfigException {
        return file.isPresent() ? ConfigLoader.load(file.get(), null) : ConfigLoader.builtin();
    }

    @Override
    public List<PathView> paths() {
        return List.of();
    }

    @Override
    public List<MapView> maps() {
        return List.of();
    }

    @Override
    public ActionResult failPath(String dev) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult reinstatePath(String dev) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult addPath(String dev) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult delPath(String dev) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult addMap(String nameOrWwid) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult delMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult suspendMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult resumeMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult reloadMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult resetMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult resizeMap(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult switchGroup(String map, int group) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult disableQueueing(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult restoreQueueing(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult resetStats(String map) {
        return ActionResult.fail(NO_ENGINE);
    }

    @Override
    public ActionResult reconfigure(boolean all, boolean dryRun) {
        MultipathConfig next;
        try {
            next = load();
        } catch (ConfigException e) {
            String why = file.map(Path::toString).orElse("configuration") + ": " + e.getMessage();
            LOG.warn("reconfigure refused, the running configuration stays: {}", why);
            return ActionResult.fail(dryRun ? why + "\n" : "", why);
        }
        if (dryRun) {
            String diff = LineDiff.diff(ConfigPrinter.showConfig(config), ConfigPrinter.showConfig(next));
            return ActionResult.ok(diff.isEmpty() ? "no change\n" : diff);
        }
        state = "configure";
        config = next;
        state = "idle";
        LOG.info("reconfigured from {}", file.map(Path::toString).orElse("the built-in configuration"));
        return ActionResult.ok();
    }

    @Override
    public ActionResult shutdown() {
        state = "shutdown";
        Thread.ofVirtual().name("shutdown").start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.run();
        });
        return ActionResult.ok();
    }

    @Override
    public MultipathConfig config() {
        return config;
    }

    @Override
    public String state() {
        return state;
    }
}
