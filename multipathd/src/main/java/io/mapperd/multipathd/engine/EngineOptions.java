package io.mapperd.multipathd.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the engine runs.
 *
 * @param configFile   multipath.conf (or .yaml); missing means the built-in configuration
 * @param configDir    drop-in directory, or null
 * @param sysfsRoot    a sysfs tree to discover local disks in, or empty for none
 * @param rescanEvery  how often sources are scanned again for new and vanished paths
 * @param tick         the checker loop's tick (1 s, as multipathd's)
 */
public record EngineOptions(Path configFile, Path configDir, Optional<Path> sysfsRoot, Duration rescanEvery,
                            Duration tick) {
    public static EngineOptions of(Path configFile) {
        return new EngineOptions(configFile, null, Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    public EngineOptions withSysfsRoot(Path root) {
        return new EngineOptions(configFile, configDir, Optional.ofNullable(root), rescanEvery, tick);
    }

    public EngineOptions withConfigDir(Path dir) {
        return new EngineOptions(configFile, dir, sysfsRoot, rescanEvery, tick);
    }

    public EngineOptions withRescanEvery(Duration d) {
        return new EngineOptions(configFile, configDir, sysfsRoot, d, tick);
    }
}
