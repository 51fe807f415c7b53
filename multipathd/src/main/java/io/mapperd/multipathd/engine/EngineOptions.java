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
 * @param stateDir     where the bindings and wwids files go instead of the configured places (the demo), or empty
 * @param dryRun       plan maps without loading them (multipath -d): nothing is written to the device-mapper,
 *                     the bindings file or the wwids file, and paths need no device node to be planned
 */
public record EngineOptions(Path configFile, Path configDir, Optional<Path> sysfsRoot, Duration rescanEvery,
                            Duration tick, Optional<Path> stateDir, boolean dryRun) {
    public EngineOptions(Path configFile, Path configDir, Optional<Path> sysfsRoot, Duration rescanEvery, Duration tick) {
        this(configFile, configDir, sysfsRoot, rescanEvery, tick, Optional.empty(), false);
    }

    public EngineOptions(Path configFile, Path configDir, Optional<Path> sysfsRoot, Duration rescanEvery, Duration tick,
                         Optional<Path> stateDir) {
        this(configFile, configDir, sysfsRoot, rescanEvery, tick, stateDir, false);
    }

    public static EngineOptions of(Path configFile) {
        return new EngineOptions(configFile, null, Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    public EngineOptions withSysfsRoot(Path root) {
        return new EngineOptions(configFile, configDir, Optional.ofNullable(root), rescanEvery, tick, stateDir, dryRun);
    }

    public EngineOptions withStateDir(Path dir) {
        return new EngineOptions(configFile, configDir, sysfsRoot, rescanEvery, tick, Optional.ofNullable(dir), dryRun);
    }

    public EngineOptions withDryRun(boolean dry) {
        return new EngineOptions(configFile, configDir, sysfsRoot, rescanEvery, tick, stateDir, dry);
    }
}
