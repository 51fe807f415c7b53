package io.mapperd.dm.core;

import java.util.List;

/** A target type for tests: a name, version 1.0.0 and a constructor. */
record TestTargetType(String name, Constructor constructor) implements TargetType {
    /** Builds the target from its table arguments, as {@link TargetType#construct}. */
    @FunctionalInterface
    interface Constructor {
        Target construct(TargetContext ctx, List<String> args) throws TargetException;
    }

    @Override
    public int[] version() {
        return new int[] {1, 0, 0};
    }

    @Override
    public Target construct(TargetContext ctx, List<String> args) throws TargetException {
        return constructor.construct(ctx, args);
    }
}
