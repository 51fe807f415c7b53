package io.mapperd.conf;

import io.mapperd.conf.parse.ConfParser;
import io.mapperd.conf.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads a configuration as multipathd does at start and on reconfigure: the main file (when it
 * exists), then every drop-in of the config directory in name order, merged over the built-ins.
 * Files ending in .yaml or .yml are read as YAML, all others as multipath.conf.
 */
public final class ConfigLoader {
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/multipath.conf");
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/multipath/conf.d");

    private ConfigLoader() {
    }

    /**
     * Loads {@code file} (skipped when it does not exist) and the drop-ins of {@code configDir}
     * (skipped when null or missing).
     *
     * @throws ConfigException when a source cannot be read or has a problem that refuses the configuration
     */
    public static MultipathConfig load(Path file, Path configDir) throws ConfigException {
        return ConfigMerger.merge(BuiltinConfig.get(), sources(file, configDir));
    }

    /** The built-in configuration alone, as with no multipath.conf. */
    public static MultipathConfig builtin() {
        try {
            return ConfigMerger.merge(BuiltinConfig.get(), List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in configuration is invalid", e);
        }
    }

    /** Merges already-read sources (main file first, then drop-ins) over the built-ins. */
    public static MultipathConfig merge(List<ConfigFile> files) throws ConfigException {
        return ConfigMerger.merge(BuiltinConfig.get(), files);
    }

    /** The sources {@link #load} merges, each with its own problems, without merging them. */
    public static List<ConfigFile> sources(Path file, Path configDir) throws ConfigException {
        List<ConfigFile> files = new ArrayList<>();
        if (file != null && Files.exists(file)) {
            files.add(read(file));
        }
        for (Path p : dropIns(configDir)) {
            files.add(read(p));
        }
        return files;
    }

    /** The drop-in files of {@code dir} that are read, in the order they are merged. */
    public static List<Path> dropIns(Path dir) throws ConfigException {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> isDropIn(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new ConfigException("couldn't open configuration dir '" + dir + "': " + e.getMessage(),
                    List.of(Problem.error(dir.toString(), 0, "couldn't open configuration dir: " + e.getMessage())));
        }
    }

    private static boolean isDropIn(String name) {
        return name.endsWith(".conf") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Reads and checks one file, multipath.conf or YAML by its name. */
    public static ConfigFile read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigException("couldn't open configuration file '" + file + "'",
                    List.of(Problem.error(file.toString(), 0, "couldn't open configuration file: no such file")));
        } catch (IOException e) {
            throw new ConfigException("couldn't open configuration file '" + file + "': " + e.getMessage(),
                    List.of(Problem.error(file.toString(), 0, "couldn't open configuration file: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** Parses text as YAML when {@code name} ends in .yaml or .yml, as multipath.conf otherwise. */
    public static ConfigFile parse(String text, String name) {
        if (isYaml(name)) {
            return YamlReader.parse(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                    name);
        }
        return ConfParser.parse(text, name);
    }

    public static boolean isYaml(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
