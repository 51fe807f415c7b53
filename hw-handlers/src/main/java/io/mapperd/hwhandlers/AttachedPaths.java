package io.mapperd.hwhandlers;

import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.targets.multipath.HwHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every handler holds whatever its array: its name and, for each path it attached, that
 * path's state (the kernel's scsi_device handler_data), which detach forgets.
 */
abstract class AttachedPaths<S> implements HwHandler {
    private final String name;
    final Map<BlockDevice, S> attached = new ConcurrentHashMap<>();

    AttachedPaths(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void detach(BlockDevice path) {
        attached.remove(path);
    }
}
