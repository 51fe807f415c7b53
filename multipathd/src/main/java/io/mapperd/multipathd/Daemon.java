package io.mapperd.multipathd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.export.nbd.NbdServer;
import io.mapperd.multipathd.command.CommandProcessor;
import io.mapperd.multipathd.command.MultipathdCommands;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.ControlServer;
import io.mapperd.multipathd.dmsetup.DmsetupCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running daemon: hosts the device-mapper, serves the control socket and exports every
 * mapped device over NBD (when configured). Stopping it closes the sockets (removing a path
 * socket), disconnects NBD clients and removes every mapped device.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final DeviceMapper dm;
    private final CommandProcessor commands;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlServer control;
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

    public Daemon start() {
        options.configFile().ifPresent(f -> LOG.info("configuration file {} (multipath settings are read by the conf module)", f));
        control = new ControlServer(commands, options.sockets()).start();
        options.nbd().ifPresent(cfg -> {
            try {
                nbd = NbdServer.start(dm, cfg);
                LOG.info("NBD export on {}:{}{}", cfg.address(), nbd.boundPort(),
                        cfg.unixSocket() != null ? " and " + cfg.unixSocket() : "");
            } catch (IOException e) {
                control.close();
                throw new UncheckedIOException("cannot start the NBD export on " + cfg.address() + ":" + cfg.port(), e);
            }
        });
        LOG.info("mapperd {} running, pid {}", Version.get(), ProcessHandle.current().pid());
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
        if (control != null) {
            control.close();
        }
        if (nbd != null) {
            nbd.close();
        }
        dm.close();
        LOG.info("mapperd stopped");
        stopped.countDown();
    }
}
