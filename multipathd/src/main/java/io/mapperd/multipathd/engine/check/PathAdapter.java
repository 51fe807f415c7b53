package io.mapperd.multipathd.engine.check;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;
import io.mapperd.transport.iscsi.IscsiLun;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One of our paths as path-checkers' checkers and prioritizers see it. */
public record PathAdapter(PathInfo info, PathIo io) implements CheckedPath {
    @Override
    public BlockDevice device() {
        return io.device().orElseGet(() -> new Unopened(info));
    }

    @Override
    public Optional<IscsiLun> scsi() {
        return io.scsi();
    }

    @Override
    public String devName() {
        return info.dev();
    }

    @Override
    public String hcil() {
        return info.hcil();
    }

    @Override
    public String serial() {
        return info.serial();
    }

    @Override
    public String wwid() {
        return info.wwid();
    }

    @Override
    public String targetNodeName() {
        return info.targetWwnn();
    }

    @Override
    public Optional<Path> sysfsDir() {
        return io.sysfsDir();
    }

    /** A path whose device node cannot be opened here (a sysfs test tree): every I/O fails. */
    private record Unopened(PathInfo info) implements BlockDevice {
        @Override
        public String name() {
            return info.dev();
        }

        @Override
        public DevT devT() {
            return info.devT();
        }

        @Override
        public long sizeSectors() {
            return info.sizeSectors();
        }

        @Override
        public CompletableFuture<Void> submit(Bio bio) {
            return CompletableFuture.failedFuture(new BioException(BlkStatus.IOERR, info.dev() + ": no device node to open"));
        }
    }
}
