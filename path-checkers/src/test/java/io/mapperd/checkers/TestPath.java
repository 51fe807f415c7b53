package io.mapperd.checkers;

import io.mapperd.dm.io.BlockDevice;

import java.nio.file.Path;
import java.util.Optional;

/** A path with every identity the daemon would fill in, for tests. */
public record TestPath(BlockDevice device, String devName, String hcil, String serial, String wwid,
                       String targetNodeName, Optional<Path> sysfsDir) implements CheckedPath {
    public static TestPath of(BlockDevice d) {
        return new TestPath(d, d.name(), "[undef]", "", "", "[undef]", Optional.empty());
    }
}
