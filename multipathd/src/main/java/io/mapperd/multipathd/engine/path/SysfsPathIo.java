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
    private final boolean nvme;
    private final Optional<Path> rport;
    private FileBlockDevice device;
    private boolean tried;

    /**
     * @param stateFile the SCSI device's or the NVMe controller's state
     * @param nvme      the state file is an NVMe controller's (live, dead...) rather than a SCSI device's
     * @param rport     a Fibre Channel path's remote port (its port_state is read; fast_io_fail_tmo and
     *                  dev_loss_tmo are left as they are: this daemon does not write sysfs)
     */
    SysfsPathIo(Path attrDir, Path stateFile, Path node, DevT devT, boolean nvme, Optional<Path> rport) {
        this.attrDir = attrDir;
        this.stateFile = stateFile;
        this.node = node;
        this.devT = devT;
        this.nvme = nvme;
        this.rport = rport;
    }

    /**
     * The device state as multipathd's path_offline reads it before calling the checker: a SCSI device
     * "running" lets the checker run, "blocked" or "quiesce" waits (pending), "offline",
     * "transport-offline" and the rest fail the path; an NVMe controller "live" runs the checker,
     * "new" or "deleting" waits, the rest fail it. A Fibre Channel remote port whose port_state is
     * Blocked counts as a blocked device, and any state but Online (Not Present, Lost...) as a failed one:
     * the kernel's FC transport blocks the rport's SCSI devices at once and offlines them at
     * fast_io_fail_tmo, so on a real host the device state already says so; in a tree nobody updates,
     * the rport says it first.
     */
    @Override
    public io.mapperd.checkers.PathState deviceState() {
        String s = read(stateFile).orElse("");
        if (nvme) {
            return switch (s) {
                case "live" -> io.mapperd.checkers.PathState.UP;
                case "new", "deleting" -> io.mapperd.checkers.PathState.PENDING;
                default -> io.mapperd.checkers.PathState.DOWN;
            };
        }
        if (rport.isPresent()) {
            String port = read(rport.get().resolve("port_state")).orElse("Online");
            if (port.equals("Blocked") && s.equals("running")) {
                return io.mapperd.checkers.PathState.PENDING;
            }
            if (!port.equals("Online") && !port.equals("Blocked") && !port.equals("Marginal")) {
                return io.mapperd.checkers.PathState.DOWN;
            }
        }
        return switch (s) {
            case "running" -> io.mapperd.checkers.PathState.UP;
            case "blocked", "quiesce" -> io.mapperd.checkers.PathState.PENDING;
            default -> io.mapperd.checkers.PathState.DOWN;
        };
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
