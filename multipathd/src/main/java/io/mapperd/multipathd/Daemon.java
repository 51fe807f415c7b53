package io.mapperd.multipathd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.stats.ExportStats;
import io.mapperd.multipathd.command.CommandProcessor;
import io.mapperd.multipathd.command.MultipathdCommands;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.ControlServer;
import io.mapperd.multipathd.dmsetup.DmsetupCommands;
import io.mapperd.multipathd.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * The long-running daemon: hosts the device-mapper and serves the control socket. Stopping it
 * closes the socket (removing a path socket) and removes every mapped device.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final DeviceMapper dm;
    private final CommandProcessor commands;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlServer control;
    private final Metrics metrics;
    private boolean closed;

    public Daemon(DaemonOptions options, DeviceMapper dm, ExportInfo exports) {
        this.options = options;
        this.dm = dm;
        this.commands = new CommandProcessor(new DmsetupCommands(dm, exports), new MultipathdCommands(Version.get()),
                new AccessPolicy(options.adminGid()));
        this.metrics = new Metrics(dm, new ExportStats(), Version.get());
    }

    public Daemon(DaemonOptions options) {
        this(options, new DeviceMapper(), ExportInfo.NONE);
    }

    public Daemon start() {
        options.configFile().ifPresent(f -> LOG.info("configuration file {} (multipath settings are read by the conf module)", f));
        try {
            control = new ControlServer(commands, options.sockets()).start();
            metrics.start(options.metrics());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("mapperd {} running, pid {}", Version.get(), ProcessHandle.current().pid());
        return this;
    }

    public DeviceMapper deviceMapper() {
        return dm;
    }

    /** The metrics served at /metrics; the policy engine reports to {@link Metrics#policy()} and sets the topology. */
    public Metrics metrics() {
        return metrics;
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
        metrics.close();
        dm.close();
        LOG.info("mapperd stopped");
        stopped.countDown();
    }
}
