package io.mapperd.multipathd;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import io.mapperd.multipathd.dmsetup.DmsetupClient;
import io.mapperd.multipathd.engine.DryRun;
import io.mapperd.multipathd.engine.EngineOptions;
import io.mapperd.multipathd.print.Columns;
import io.mapperd.multipathd.print.PathWildcards;
import io.mapperd.multipathd.print.TopologyPrinter;
import io.mapperd.multipathd.view.MapView;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * {@code mapperd multipath [-d] [-v N] [-c FILE] [--config-dir DIR] [--sysfs-root DIR] [DEV|WWID]}:
 * multipath(8)'s one-shot run. With {@code -d} it needs no daemon: it discovers the paths as the
 * daemon's engine does (the sysfs tree, the iSCSI portals and NVMe controllers the configuration
 * names), checks each once, applies the blacklist and find_multipaths, names and groups them, and
 * prints the maps it would create as multipath-tools 0.9.4 prints a dry run. Without {@code -d}
 * maps are made by the running daemon (they live in its device-mapper): it is asked to reconfigure,
 * which rescans and creates the maps its paths call for, and its maps are printed.
 */
public final class MultipathOneShot {
    static final String USAGE = """
            usage: mapperd multipath [-d] [-v N] [-c FILE] [--config-dir DIR] [--sysfs-root DIR] [DEV|WWID]
                   mapperd multipath -ll|-l [-v N] [MAP]    the running daemon's maps (multipath -ll)
                   mapperd multipath -t [-c FILE]            the configuration (multipath -t)
              -d            dry run: discover, check and group the paths here, print the maps that would be
                            created (0.9.4's dry-run format: the map line starts with ": ", undef for what only
                            a loaded map has); no daemon needed, nothing written (not even the bindings file)
              -v N          0 nothing, 1 map names, 2 maps (default), 3 the paths list first
              -c FILE       multipath.conf or .yaml to plan with (default /etc/multipath.conf and
                            /etc/multipath/conf.d); multipath(8)'s own -c (check a path) is not offered
              --sysfs-root DIR   discover local disks in this sysfs tree (none by default)
              DEV|WWID      only the map of this WWID or alias, or of this path (sdb, /dev/sdb, 8:16);
                            find_multipaths does not apply to it, as with multipath(8)
            Without -d: mapperd's maps live in the daemon's device-mapper, so this run cannot create them
            itself. It asks the running daemon (MAPPERD_SOCKET, default @/org/kernel/linux/storage/multipathd)
            to reconfigure, which rescans its paths with the daemon's own configuration and creates or
            reloads the maps they call for, then prints the daemon's maps as multipath -ll does. With no
            daemon answering it says so and exits 1.
            """;

    private MultipathOneShot() {
    }

    private record Options(boolean dryRun, int verbosity, Optional<Path> configFile, Optional<Path> configDir,
                           Optional<Path> sysfsRoot, String scope) {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("multipath: " + e.getMessage());
            err.print(USAGE);
            return 1;
        }
        if (o == null) {
            out.print(USAGE);
            return 0;
        }
        logLevel(o.verbosity());
        return o.dryRun() ? dryRun(o, out, err) : viaDaemon(o, out, err, env);
    }

    /**
     * As multipath(8)'s -v: below 3 only warnings reach stderr, 3 adds what the engine does (info),
     * 4 and up debug. It takes effect when the run is the program's first use of logging (./mapperd).
     */
    private static void logLevel(int verbosity) {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(key) == null) {
            System.setProperty(key, verbosity <= 2 ? "warn" : verbosity == 3 ? "info" : "debug");
        }
    }

    private static Options parse(String[] args) {
        boolean dry = false;
        int v = 2;
        Optional<Path> file = Optional.empty();
        Optional<Path> dir = Optional.empty();
        Optional<Path> root = Optional.empty();
        String scope = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "-d" -> dry = true;
                case "-v" -> v = verbosity(value(args, ++i, a));
                case "-c" -> file = Optional.of(Path.of(value(args, ++i, a)));
                case "--config-dir" -> dir = Optional.of(Path.of(value(args, ++i, a)));
                case "--sysfs-root" -> {
                    Path p = Path.of(value(args, ++i, a));
                    if (!Files.isDirectory(p)) {
                        throw new IllegalArgumentException("--sysfs-root " + p + ": not a directory");
                    }
                    root = Optional.of(p);
                }
                default -> {
                    if (a.matches("-v\\d+")) {
                        v = verbosity(a.substring(2));
                    } else if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    } else if (scope != null) {
                        throw new IllegalArgumentException("one DEV or WWID at most, not " + scope + " and " + a);
                    } else {
                        scope = a;
                    }
                }
            }
        }
        return new Options(dry, v, file, dir, root, scope);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static int verbosity(String s) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("-v wants a verbosity level 0..4, not " + s);
    }

    private static int dryRun(Options o, PrintStream out, PrintStream err) {
        Path file = o.configFile().orElse(ConfigLoader.DEFAULT_CONFIG_FILE);
        Path dir = o.configDir().orElse(o.configFile().isPresent() ? null : ConfigLoader.DEFAULT_CONFIG_DIR);
        if (o.configFile().isPresent() && !Files.isRegularFile(file)) {
            err.println("multipath: " + file + ": no such configuration file");
            return 1;
        }
        EngineOptions eo = new EngineOptions(file, dir, o.sysfsRoot(), Duration.ofMinutes(10), Duration.ofMillis(50));
        DryRun.Result r;
        try {
            r = DryRun.run(eo, o.scope(), Duration.ofSeconds(60));
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.println("multipath: " + file + ": error parsing config file");
            return 1;
        } catch (IOException | TimeoutException e) {
            err.println("multipath: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.print(print(r, o.verbosity()));
        out.flush();
        return 0;
    }

    /** A dry run's output at verbosity {@code v}, as multipath -d prints it. */
    public static String print(DryRun.Result r, int v) {
        StringBuilder b = new StringBuilder();
        if (v >= 3) {
            if (r.paths().isEmpty()) {
                b.append("===== no paths =====\n");
            } else {
                b.append("===== paths list =====\n");
                String format = "%w %i %d %D %p %t %T %s %o";
                int[] w = Columns.widths(PathWildcards.ALL, r.paths(), true);
                Columns.header(b, PathWildcards.ALL, format, w);
                r.paths().forEach(p -> Columns.line(b, PathWildcards.ALL, format, p, w));
            }
        }
        for (MapView m : r.maps()) {
            if (v == 1) {
                b.append(m.name()).append('\n');
            } else if (v >= 2) {
                TopologyPrinter.multipathDryRun(b, m);
            }
        }
        return b.toString();
    }

    private static int viaDaemon(Options o, PrintStream out, PrintStream err, Map<String, String> env) {
        ControlAddress address = DmsetupClient.address(env);
        if (o.configFile().isPresent() || o.configDir().isPresent() || o.sysfsRoot().isPresent()) {
            err.println("multipath: -c, --config-dir and --sysfs-root shape a dry run (-d) only;"
                    + " the daemon plans with its own configuration");
            return 1;
        }
        String reply;
        try {
            reply = ControlClient.request(address, "reconfigure", Duration.ofMinutes(2));
        } catch (IOException | TimeoutException e) {
            err.println("multipath: maps live in the mapperd daemon, and none answers at " + address.spec() + " ("
                    + e.getMessage() + "): start it with ./mapperd daemon, or use -d for a dry run");
            return 1;
        }
        if (Reply.isEnvelope(reply)) {
            Reply r = Reply.parse(reply);
            if (r.rc() != 0) {
                err.print(r.err().isEmpty() ? "multipath: the daemon refused to reconfigure: " + r.out() : r.err());
                return 1;
            }
        } else if (!reply.strip().equals("ok")) {
            err.println("multipath: the daemon refused to reconfigure: " + reply.strip());
            return 1;
        }
        if (o.verbosity() < 2) {
            return 0;
        }
        String[] ll = o.scope() == null ? new String[] {"-ll"} : new String[] {"-ll", o.scope()};
        return MultipathLl.run(ll, out, err, env);
    }
}
