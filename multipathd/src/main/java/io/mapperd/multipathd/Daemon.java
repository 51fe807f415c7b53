package io.mapperd.multipathd;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.export.nbd.NbdServer;
import io.mapperd.multipathd.command.CommandProcessor;
import io.mapperd.multipathd.command.DaemonActions;
import io.mapperd.multipathd.command.MultipathdCommands;
import io.mapperd.multipathd.console.SerialConsole;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.ControlServer;
import io.mapperd.multipathd.dmsetup.DmsetupCommands;
import io.mapperd.multipathd.metrics.Metrics;
import io.mapperd.multipathd.metrics.ReloadCounting;
import io.mapperd.multipathd.engine.Engine;
import io.mapperd.multipathd.engine.EngineOptions;
import io.mapperd.multipathd.view.TopologySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The long-running daemon: hosts the device-mapper, runs the multipath policy engine on the
 * configuration (-c FILE, else /etc/multipath.conf when it exists, else the built-in one), serves
 * the control socket (and the serial console when configured) with the operator command language
 * over the engine's topology and actions, and exports every mapped device over NBD (when
 * configured). Stopping it closes the sockets (removing a path socket), disconnects NBD clients,
 * stops the engine and removes every mapped device.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final DeviceMapper dm;
    /** What operators call: the actions given, counted for the reload metrics. */
    private final DaemonActions actions;
    /** The actions as given (the engine's, when this daemon runs one). */
    private final DaemonActions given;
    private Path stateDir;
    private volatile Engine engine;
    private volatile SdNotify notify = new SdNotify(java.util.Map.of());
    private final CommandProcessor commands;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlServer control;
    private final Metrics metrics;
    private volatile NbdServer nbd;
    private SerialConsole console;
    private boolean closed;

    /**
     * A daemon whose operators act through {@code actions} on what {@code topology} shows;
     * {@code exports} answers for devices exported elsewhere, our own NBD server answers first.
     */
    public Daemon(DaemonOptions options, DeviceMapper dm, ExportInfo exports, TopologySource topology, DaemonActions actions) {
        this.options = options;
        this.dm = dm;
        this.metrics = new Metrics(dm, Version.get());
        metrics.topology(topology);
        this.given = actions;
        this.actions = ReloadCounting.wrap(actions, metrics.policy());
        Path sysfs = options.sysfsRoot().orElse(Path.of("/sys"));
        ExportInfo ours = name -> {
            NbdServer s = nbd;
            return s != null && s.exportNames().contains(name) ? OptionalInt.of(s.clientCount(name)) : exports.clientCount(name);
        };
        this.commands = new CommandProcessor(new DmsetupCommands(dm, ours),
                new MultipathdCommands(Version.get(), topology, this.actions, () -> blockDevices(sysfs)),
                new AccessPolicy(options.adminGid()));
    }

    /** A daemon whose policy engine starts with {@link #start} (dmsetup and the configuration until then). */
    public Daemon(DaemonOptions options, DeviceMapper dm, ExportInfo exports) {
        this(options, dm, exports, new EngineActions(configOnly(options)));
    }

    private Daemon(DaemonOptions options, DeviceMapper dm, ExportInfo exports, EngineActions actions) {
        this(options, dm, exports, actions, actions);
        actions.stopWith(this::close);
    }

    public Daemon(DaemonOptions options) {
        this(options, withTransports(new DeviceMapper()), ExportInfo.NONE);
    }

    /** Lets tables name iSCSI LUNs and NVMe/TCP namespaces by URL (iscsi://..., nvme+tcp://...). */
    public static DeviceMapper withTransports(DeviceMapper dm) {
        dm.addProvider(new io.mapperd.transport.iscsi.IscsiDeviceProvider());
        dm.addProvider(new io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider(io.mapperd.transport.nvmetcp.NvmeTcpOptions.defaults()));
        return dm;
    }

    private static ConfigOnlyActions configOnly(DaemonOptions options) {
        try {
            return new ConfigOnlyActions(options.configFile());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(options.configFile().map(Path::toString).orElse("configuration") + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Starts the policy engine (when this daemon has one) and the control socket.
     *
     * @throws IllegalStateException when the configuration is refused (the reason is in the message)
     */
    public Daemon start() {
        if (given instanceof EngineActions ea) {
            Path conf = options.configFile().orElse(ConfigLoader.DEFAULT_CONFIG_FILE);
            try {
                engine = Engine.start(dm, new EngineOptions(conf, options.configFile().isPresent() ? null
                        : ConfigLoader.DEFAULT_CONFIG_DIR, options.sysfsRoot(), Duration.ofSeconds(30), Duration.ofSeconds(1),
                        Optional.ofNullable(stateDir)));
                ea.attach(engine);
                engine.onChecks(new Engine.CheckListener() {
                    @Override
                    public void pathChecked(String map, String path, String result, long nanos) {
                        metrics.policy().pathChecked(map, path, result, nanos);
                    }

                    @Override
                    public void checkerLoop(long nanos) {
                        metrics.policy().checkerLoop(nanos);
                    }
                });
                LOG.info("configuration {}{}", conf, Files.exists(conf) ? "" : " (absent: built-in configuration)");
            } catch (ConfigException | IOException e) {
                throw new IllegalStateException("configuration refused: " + e.getMessage(), e);
            }
        }
        try {
            control = new ControlServer(commands, options.sockets()).start();
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            throw e;
        }
        options.nbd().ifPresent(cfg -> {
            try {
                nbd = NbdServer.start(dm, cfg);
                LOG.info("NBD export on {}:{}{}", cfg.address(), nbd.boundPort(),
                        cfg.unixSocket() != null ? " and " + cfg.unixSocket() : "");
            } catch (IOException e) {
                control.close();
                if (engine != null) {
                    engine.close();
                }
                throw new UncheckedIOException("cannot start the NBD export on " + cfg.address() + ":" + cfg.port(), e);
            }
        });
        if (options.console().isPresent()) {
            try {
                console = new SerialConsole(options.console().get(), options.consoleBaud(), commands).start();
            } catch (IOException e) {
                control.close();
                throw new UncheckedIOException(e);
            }
        }
        if (nbd != null) {
            metrics.exports(nbd.stats());
        }
        try {
            metrics.start(options.metrics());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("mapperd {} running, pid {}", Version.get(), ProcessHandle.current().pid());
        return this;
    }

    /** Keeps the bindings and wwids files in {@code dir} instead of the configured places (the demo). Before start. */
    public Daemon stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    /** The policy engine, once started. */
    public Optional<Engine> engine() {
        return Optional.ofNullable(engine);
    }

    /** SIGHUP reconfigures, as multipathd; systemd hears RELOADING=1 then READY=1, and STOPPING=1 at close. */
    public Daemon reconfigureOnHangup(SdNotify notify) {
        this.notify = notify;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().name("sighup").start(() -> {
                LOG.info("SIGHUP: reconfigure");
                notify.send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
                var r = actions.reconfigure(false, false);
                LOG.info("reconfigure: {}", r.succeeded() ? "ok" : "failed: " + r.reason());
                notify.send("READY=1\nSTATUS=" + (r.succeeded() ? "running" : "reconfigure failed, running as before"));
            }));
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot take SIGHUP: {}", e.getMessage());
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

    /** The metrics served at /metrics; the policy engine reports checks, loops and reloads to {@link Metrics#policy()}. */
    public Metrics metrics() {
        return metrics;
    }

    public CommandProcessor commands() {
        return commands;
    }

    /** Runs until {@link #close} (the shutdown hook on SIGTERM or Ctrl-C, or `shutdown`). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Installs a shutdown hook that stops the daemon cleanly on SIGTERM/SIGINT; SIGHUP reconfigures. */
    public Daemon stopOnSignal() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mapperd-shutdown").unstarted(() -> {
            LOG.info("signal received: stopping");
            close();
        }));
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> Thread.ofVirtual().name("sighup").start(() -> {
                LOG.info("SIGHUP: reconfigure");
                var r = actions.reconfigure(false, false);
                if (!r.succeeded()) {
                    LOG.warn("reconfigure on SIGHUP failed: {}", r.reason());
                }
            }));
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot take SIGHUP: {}", e.getMessage());
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        notify.send("STOPPING=1");
        if (console != null) {
            console.close();
        }
        if (control != null) {
            control.close();
        }
        if (nbd != null) {
            nbd.close();
        }
        metrics.close();
        if (engine != null) {
            engine.close();
        }
        dm.close();
        LOG.info("mapperd stopped");
        stopped.countDown();
    }

    static List<String> blockDevices(Path sysfs) {
        Path block = sysfs.resolve("block");
        if (!Files.isDirectory(block)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(block)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", block, e.getMessage());
            return List.of();
        }
    }
}
