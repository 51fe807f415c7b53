package io.mapperd.multipathd.engine.path;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A local disk found in sysfs: its attributes are read from the tree, and its device node is opened
 * (read-write, direct) when it exists, which on a real host it does and in a test tree it does not.
 */
final class SysfsPathIo implements PathIo {
    private final Path attrDir;
    private final Path stateFile;
    private final Path node;
    private final DevT devT;
    private FileBlockDevice device;
    private boolean tried;

    SysfsPathIo(Path attrDir, Path stateFile, Path node, DevT devT) {
        this.attrDir = attrDir;
        this.stateFile = stateFile;
        this.node = node;
        this.devT = devT;
    }

    @Override
    public synchronized Optional<BlockDevice> device() {
        if (!tried) {
            tried = true;
            if (node != null && Files.exists(node)) {
                try {
                    device = FileBlockDevice.open(node, false, devT, 512);
                } catch (IOException e) {
                    device = null;
                }
            }
        }
        return Optional.ofNullable(device);
    }

    @Override
    public Optional<Path> sysfsDir() {
        return Optional.of(attrDir);
    }

    @Override
    public String transportState() {
        String s = read(stateFile).orElse("running");
        return switch (s) {
            case "live", "running" -> "running";
            case "connecting", "resetting", "blocked" -> "blocked";
            default -> "offline";
        };
    }

    static Optional<String> read(Path p) {
        try {
            return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
