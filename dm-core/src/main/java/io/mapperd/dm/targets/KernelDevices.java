package io.mapperd.dm.targets;

import io.mapperd.dm.core.DeviceRef;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;

/**
 * dm_get_device as the targets call it: on failure the constructor reports the target's own
 * words, with the lookup's errno (ENODEV) or, where the kernel's target returns -EINVAL, EINVAL.
 */
final class KernelDevices {
    private KernelDevices() {
    }

    /** The device at {@code path}, {@code length} sectors from {@code start}; else {@code error}, lookup errno. */
    static DeviceRef get(TargetContext ctx, String path, long start, long length, String error) throws TargetException {
        try {
            return ctx.getDevice(path, start, length);
        } catch (TargetException e) {
            throw new TargetException(error, e.errno());
        }
    }

    /** As {@link #get}, but failing with EINVAL, as targets do that return -EINVAL for a failed lookup. */
    static DeviceRef getOrEinval(TargetContext ctx, String path, long start, long length, String error)
            throws TargetException {
        try {
            return ctx.getDevice(path, start, length);
        } catch (TargetException e) {
            throw new TargetException(error);
        }
    }
}
