package io.mapperd.multipathd.engine.path;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.NvmeNamespace;

import java.util.Optional;

/** A path that is one namespace through one NVMe/TCP controller of ours. */
final class NvmePathIo implements PathIo {
    private final NvmeNamespace ns;
    private final Runnable release;
    private boolean closed;

    NvmePathIo(NvmeNamespace ns, Runnable release) {
        this.ns = ns;
        this.release = release;
    }

    NvmeNamespace namespace() {
        return ns;
    }

    @Override
    public Optional<BlockDevice> device() {
        return Optional.of(ns);
    }

    @Override
    public boolean healthy() {
        return ns.controllerState() == ControllerState.LIVE && ns.keepAliveHealthy();
    }

    @Override
    public String transportState() {
        return switch (ns.controllerState()) {
            case LIVE -> "running";
            case CONNECTING, RESETTING -> "blocked";
            case DELETED -> "offline";
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
