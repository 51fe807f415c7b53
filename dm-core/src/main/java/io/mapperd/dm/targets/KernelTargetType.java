package io.mapperd.dm.targets;

import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;

import java.util.List;

/** A target type of this package: the kernel module's name and version, and its constructor. */
record KernelTargetType(String name, int major, int minor, int patch, Constructor constructor) implements TargetType {

    /** The kernel's ctr: builds a target from its table arguments or throws with the kernel's words. */
    @FunctionalInterface
    interface Constructor {
        Target construct(TargetContext ctx, List<String> argv) throws TargetException;
    }

    @Override
    public int[] version() {
        return new int[] {major, minor, patch};
    }

    @Override
    public Target construct(TargetContext ctx, List<String> argv) throws TargetException {
        return constructor.construct(ctx, argv);
    }
}
