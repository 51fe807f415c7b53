package io.mapperd.multipathd;

import io.mapperd.dm.export.nbd.NbdServerConfig;
import io.mapperd.multipathd.control.ControlAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the daemon is started: `daemon [-c FILE] [--socket PATH] [--abstract NAME]
 * [--sysfs-root DIR] [--admin-group GID] [--nbd HOST:PORT|--no-nbd] [--nbd-socket PATH]
 * [--console DEVICE [--console-baud N]]`. The NBD export is on by default (127.0.0.1:10809) when
 * options come from the command line. The console is a serial line (a tty device) that speaks the
 * command language as `multipathd -k` does.
 */
public record DaemonOptions(Optional<Path> configFile, List<ControlAddress> sockets, Optional<Path> sysfsRoot,
                            OptionalInt adminGid, Optional<NbdServerConfig> nbd, Optional<Path> console, int consoleBaud) {
    public static final String USAGE = "usage: mapperd daemon [-c FILE] [--socket PATH] [--abstract @NAME|--no-abstract] "
            + "[--sysfs-root DIR] [--admin-group GID] [--nbd HOST:PORT|--no-nbd] [--nbd-socket PATH] "
            + "[--console DEVICE [--console-baud N]]";
    public static final int DEFAULT_CONSOLE_BAUD = 115200;

    public DaemonOptions {
        sockets = List.copyOf(sockets);
        if (consoleBaud <= 0) {
            throw new IllegalArgumentException("--console-baud must be positive, not " + consoleBaud);
        }
    }

    /** Without an NBD export or a console (embedded daemons, tests). */
    public DaemonOptions(Optional<Path> configFile, List<ControlAddress> sockets, Optional<Path> sysfsRoot,
                         OptionalInt adminGid) {
        this(configFile, sockets, sysfsRoot, adminGid, Optional.empty(), Optional.empty(), DEFAULT_CONSOLE_BAUD);
    }

    public static DaemonOptions defaults() {
        return new DaemonOptions(Optional.empty(), List.of(ControlAddress.DEFAULT), Optional.empty(), OptionalInt.empty(),
                Optional.of(NbdServerConfig.defaults()), Optional.empty(), DEFAULT_CONSOLE_BAUD);
    }

    /** The same options with a serial console on {@code device}. */
    public DaemonOptions withConsole(Path device, int baud) {
        return new DaemonOptions(configFile, sockets, sysfsRoot, adminGid, nbd, Optional.of(device), baud);
    }

    /** @throws IllegalArgumentException naming the bad option */
    public static DaemonOptions parse(List<String> args) {
        Optional<Path> conf = Optional.empty();
        Optional<Path> sysfs = Optional.empty();
        OptionalInt gid = OptionalInt.empty();
        Optional<Path> console = Optional.empty();
        int baud = DEFAULT_CONSOLE_BAUD;
        ControlAddress abstractName = ControlAddress.DEFAULT;
        NbdServerConfig nbd = NbdServerConfig.defaults();
        List<ControlAddress> paths = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-c", "--config" -> {
                    Path p = Path.of(value(args, ++i, a));
                    if (!Files.isReadable(p)) {
                        throw new IllegalArgumentException(a + " " + p + ": no such readable file");
                    }
                    conf = Optional.of(p);
                }
                case "--socket" -> {
                    String s = value(args, ++i, a);
                    if (s.startsWith("@")) {
                        throw new IllegalArgumentException("--socket takes a file path; use --abstract for " + s);
                    }
                    paths.add(new ControlAddress(s));
                }
                case "--abstract" -> {
                    String s = value(args, ++i, a);
                    if (!s.startsWith("@")) {
                        throw new IllegalArgumentException("--abstract takes a name starting with @, not " + s);
                    }
                    abstractName = new ControlAddress(s);
                }
                case "--no-abstract" -> abstractName = null;
                case "--sysfs-root" -> {
                    Path p = Path.of(value(args, ++i, a));
                    if (!Files.isDirectory(p)) {
                        throw new IllegalArgumentException("--sysfs-root " + p + ": not a directory");
                    }
                    sysfs = Optional.of(p);
                }
                case "--admin-group" -> {
                    String g = value(args, ++i, a);
                    try {
                        gid = OptionalInt.of(Integer.parseInt(g));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--admin-group takes a numeric gid, not " + g);
                    }
                }
                case "--nbd" -> {
                    String hp = value(args, ++i, a);
                    int colon = hp.lastIndexOf(':');
                    try {
                        nbd = (nbd == null ? NbdServerConfig.defaults() : nbd)
                                .withAddress(colon > 0 ? hp.substring(0, colon) : hp)
                                .withPort(colon > 0 ? Integer.parseInt(hp.substring(colon + 1)) : NbdServerConfig.DEFAULT_PORT);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--nbd takes HOST:PORT, not " + hp + ": " + e.getMessage());
                    }
                }
                case "--nbd-socket" -> nbd = (nbd == null ? NbdServerConfig.defaults() : nbd).withUnixSocket(Path.of(value(args, ++i, a)));
                case "--no-nbd" -> nbd = null;
                case "--console" -> console = Optional.of(Path.of(value(args, ++i, a)));
                case "--console-baud" -> {
                    String b = value(args, ++i, a);
                    try {
                        baud = Integer.parseInt(b);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--console-baud takes a number of bits per second, not " + b);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        List<ControlAddress> sockets = new ArrayList<>();
        if (abstractName != null) {
            sockets.add(abstractName);
        }
        sockets.addAll(paths);
        if (sockets.isEmpty()) {
            throw new IllegalArgumentException("--no-abstract needs a --socket PATH, or nothing would listen");
        }
        return new DaemonOptions(conf, sockets, sysfs, gid, Optional.ofNullable(nbd), console, baud);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }
}
