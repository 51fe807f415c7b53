package io.mapperd.multipathd;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.export.nbd.NbdServer;
import io.mapperd.multipathd.engine.Engine;
import io.mapperd.multipathd.engine.EngineOptions;
import io.mapperd.multipathd.engine.ReconfigureResult;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.multipathd.view.TopologySource;
import io.mapperd.multipathd.command.CommandProcessor;
import io.mapperd.multipathd.command.MultipathdCommands;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.ControlServer;
import io.mapperd.multipathd.dmsetup.DmsetupCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running daemon: hosts the device-mapper, runs the multipath policy engine on the
 * configuration (-c FILE, else /etc/multipath.conf when it exists, else the built-in one), serves
 * the control socket and exports every mapped device over NBD (when configured). Stopping it
 * closes the sockets (removing a path socket), disconnects NBD clients, stops the engine and
 * removes every mapped device.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private java.nio.file.Path stateDir;
    private final DeviceMapper dm;
    private final CommandProcessor commands;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlServer control;
    private volatile Engine engine;
    private volatile SdNotify notify = new SdNotify(java.util.Map.of());
    private volatile NbdServer nbd;
    private boolean closed;

    /** {@code exports} answers for devices exported elsewhere; our own NBD server answers first. */
    public Daemon(DaemonOptions options, DeviceMapper dm, ExportInfo exports) {
        this.options = options;
        this.dm = dm;
        ExportInfo ours = name -> {
            NbdServer s = nbd;
            return s != null && s.exportNames().contains(name) ? OptionalInt.of(s.clientCount(name)) : exports.clientCount(name);
        };
        this.commands = new CommandProcessor(new DmsetupCommands(dm, ours), new MultipathdCommands(Version.get()),
                new AccessPolicy(options.adminGid()));
    }

    public Daemon(DaemonOptions options) {
        this(options, new DeviceMapper(), ExportInfo.NONE);
    }

    /**
     * Starts the engine and the control socket.
     *
     * @throws IllegalStateException when the configuration is refused (the reason is in the message)
     */
    public Daemon start() {
        java.nio.file.Path conf = options.configFile().orElse(ConfigLoader.DEFAULT_CONFIG_FILE);
        try {
            engine = Engine.start(dm, new EngineOptions(conf, options.configFile().isPresent() ? null
                    : ConfigLoader.DEFAULT_CONFIG_DIR, options.sysfsRoot(), Duration.ofSeconds(30), Duration.ofSeconds(1), Optional.ofNullable(stateDir)));
            LOG.info("configuration {}{}", conf, Files.exists(conf) ? "" : " (absent: built-in configuration)");
        } catch (ConfigException | IOException e) {
            throw new IllegalStateException("configuration refused: " + e.getMessage(), e);
        }
        try {
            control = new ControlServer(commands, options.sockets()).start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        options.nbd().ifPresent(cfg -> {
            try {
                nbd = NbdServer.start(dm, cfg);
                LOG.info("NBD export on {}:{}{}", cfg.address(), nbd.boundPort(),
                        cfg.unixSocket() != null ? " and " + cfg.unixSocket() : "");
            } catch (IOException e) {
                control.close();
                engine.close();
                throw new UncheckedIOException("cannot start the NBD export on " + cfg.address() + ":" + cfg.port(), e);
            }
        });
        LOG.info("mapperd {} running, pid {}", Version.get(), ProcessHandle.current().pid());
        return this;
    }

    /** Keeps the bindings and wwids files in {@code dir} instead of the configured places (the demo). Before start. */
    public Daemon stateDir(java.nio.file.Path dir) {
        this.stateDir = dir;
        return this;
    }

    /** The engine's paths and maps for the command language; empty before start. */
    public TopologySource topology() {
        return new TopologySource() {
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
        };
    }

    public Optional<Engine> engine() {
        return Optional.ofNullable(engine);
    }

    /** reconfigure (also SIGHUP): see {@link Engine#reconfigure}. */
    public CompletableFuture<ReconfigureResult> reconfigure(boolean dryRun) {
        Engine e = engine;
        if (e == null) {
            return CompletableFuture.completedFuture(new ReconfigureResult(false, dryRun, "the daemon is not running", List.of()));
        }
        return e.reconfigure(dryRun);
    }

    /** SIGHUP reconfigures, as multipathd; systemd hears RELOADING=1 then READY=1, and STOPPING=1 at close. */
    public Daemon reconfigureOnHangup(SdNotify notify) {
        this.notify = notify;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                LOG.info("SIGHUP: reconfigure");
                notify.send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
                reconfigure(false).whenComplete((r, ex) -> {
                    LOG.info("reconfigure: {}", r != null ? r.message() : String.valueOf(ex));
                    notify.send("READY=1\nSTATUS=" + (r != null ? r.message() : "reconfigure failed"));
                });
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGHUP here: {}", e.getMessage());
        }
        return this;
    }

    public DeviceMapper deviceMapper() {
        return dm;
    }

    /** The NBD export, or null when the daemon runs without one. */
    public NbdServer nbd() {
        return nbd;
    }

    public CommandProcessor commands() {
        return commands;
    }

    /** Runs until {@link #close} (the shutdown hook on SIGTERM or Ctrl-C). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Installs a shutdown hook that stops the daemon cleanly on SIGTERM/SIGINT. */
    public Daemon stopOnSignal() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mapperd-shutdown").unstarted(() -> {
            LOG.info("signal received: stopping");
            close();
        }));
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        notify.send("STOPPING=1");
        if (control != null) {
            control.close();
        }
        if (nbd != null) {
            nbd.close();
        }
        if (engine != null) {
            engine.close();
        }
        dm.close();
        LOG.info("mapperd stopped");
        stopped.countDown();
    }
}
