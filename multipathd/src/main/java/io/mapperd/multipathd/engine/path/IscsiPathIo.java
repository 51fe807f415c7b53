package io.mapperd.multipathd.engine.path;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;

import java.util.Optional;

/** A path that is one LUN on one iSCSI session of ours. Closing it releases the session's hold. */
final class IscsiPathIo implements PathIo {
    private final IscsiLun lun;
    private final Runnable release;
    private boolean closed;

    IscsiPathIo(IscsiLun lun, Runnable release) {
        this.lun = lun;
        this.release = release;
    }

    @Override
    public Optional<BlockDevice> device() {
        return Optional.of(lun);
    }

    @Override
    public Optional<IscsiLun> scsi() {
        return Optional.of(lun);
    }

    @Override
    public String transportState() {
        IscsiSession.State s = lun.session().state();
        return switch (s) {
            case LOGGED_IN -> "running";
            case RECOVERING, CONNECTING -> "blocked";
            case CLOSED -> "offline";
        };
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
