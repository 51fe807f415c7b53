package io.mapperd.conf.cli;

import io.mapperd.conf.ConfigException;
import io.mapperd.conf.ConfigFile;
import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.ConfigPrinter;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.conf.Problem;
import io.mapperd.conf.Severity;
import io.mapperd.conf.parse.ConfWriter;
import io.mapperd.conf.yaml.YamlWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The configuration commands of {@code ./mapperd}: {@code conf check FILE}, {@code conf convert
 * FILE [-o OUT] [--to yaml|conf]} and {@code multipath -t [-c FILE] [--config-dir DIR]}. The
 * first argument is the verb ("conf" or "multipath"); the return value is the exit code.
 */
public final class ConfCommands {
    private static final String USAGE = """
            usage: conf check FILE [--config-dir DIR]
                   conf convert FILE [-o OUT] [--to yaml|conf]
                   multipath -t [-c FILE] [--config-dir DIR]
            """;

    private ConfCommands() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 2 && args[0].equals("conf") && args[1].equals("check")) {
            return check(Arrays.copyOfRange(args, 2, args.length), out, err);
        }
        if (args.length >= 2 && args[0].equals("conf") && args[1].equals("convert")) {
            return convert(Arrays.copyOfRange(args, 2, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("multipath")) {
            return multipath(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.print(USAGE);
        return 2;
    }

    /** Lists every problem of FILE (and of the drop-ins with --config-dir); 0 when there is none, 1 otherwise. */
    private static int check(String[] a, PrintStream out, PrintStream err) {
        String file = null;
        Path dir = null;
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("--config-dir") && i + 1 < a.length) {
                dir = Path.of(a[++i]);
            } else if (file == null && !a[i].startsWith("-")) {
                file = a[i];
            } else {
                err.print(USAGE);
                return 2;
            }
        }
        if (file == null) {
            err.print(USAGE);
            return 2;
        }
        List<Problem> problems = new ArrayList<>();
        try {
            List<ConfigFile> sources = new ArrayList<>();
            sources.add(ConfigLoader.read(Path.of(file)));
            sources.addAll(ConfigLoader.sources(null, dir));
            try {
                problems.addAll(ConfigLoader.merge(sources).problems());
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        for (Problem p : problems) {
            out.println(p);
        }
        boolean refused = problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
        long warnings = problems.stream().filter(p -> p.severity() == Severity.WARNING).count();
        if (refused) {
            out.println(file + ": refused: multipath-tools would not load this configuration");
            return 1;
        }
        if (warnings > 0) {
            out.println(file + ": " + warnings + " problem(s); the lines named are ignored");
            return 1;
        }
        out.println(file + ": OK");
        return 0;
    }

    private static int convert(String[] a, PrintStream out, PrintStream err) {
        String file = null;
        String output = null;
        String to = null;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "-o" -> output = i + 1 < a.length ? a[++i] : null;
                case "--to" -> to = i + 1 < a.length ? a[++i] : null;
                default -> {
                    if (file != null || a[i].startsWith("-")) {
                        err.print(USAGE);
                        return 2;
                    }
                    file = a[i];
                }
            }
        }
        if (file == null || (to != null && !to.equals("yaml") && !to.equals("conf"))) {
            err.print(USAGE);
            return 2;
        }
        if (to == null) {
            to = output != null ? (ConfigLoader.isYaml(output) ? "yaml" : "conf")
                    : (ConfigLoader.isYaml(file) ? "conf" : "yaml");
        }
        ConfigFile cf;
        try {
            cf = ConfigLoader.read(Path.of(file));
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        }
        cf.problems().forEach(err::println);
        if (cf.refused()) {
            err.println(file + ": refused; not converted");
            return 1;
        }
        String text = to.equals("yaml") ? YamlWriter.write(cf) : ConfWriter.write(cf);
        if (output == null) {
            out.print(text);
            return 0;
        }
        try {
            Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(output + ": cannot write: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static int multipath(String[] a, PrintStream out, PrintStream err) {
        boolean t = false;
        Path file = ConfigLoader.DEFAULT_CONFIG_FILE;
        Path dir = ConfigLoader.DEFAULT_CONFIG_DIR;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "-t" -> t = true;
                case "-c" -> {
                    if (i + 1 >= a.length) {
                        err.print(USAGE);
                        return 2;
                    }
                    file = Path.of(a[++i]);
                }
                case "--config-dir" -> {
                    if (i + 1 >= a.length) {
                        err.print(USAGE);
                        return 2;
                    }
                    dir = Path.of(a[++i]);
                }
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        if (!t) {
            err.print(USAGE);
            return 2;
        }
        MultipathConfig c;
        try {
            c = ConfigLoader.load(file, dir);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.println("error parsing config file");
            return 1;
        }
        c.problems().stream().filter(p -> p.severity() != Severity.NOTICE).forEach(err::println);
        out.print(ConfigPrinter.showConfig(c));
        return 0;
    }
}
