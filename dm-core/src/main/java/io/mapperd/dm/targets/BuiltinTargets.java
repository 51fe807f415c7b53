package io.mapperd.dm.targets;

import io.mapperd.dm.core.TargetRegistry;
import io.mapperd.dm.targets.multipath.MultipathTarget;

/** Registers the targets that ship in dm-core. */
public final class BuiltinTargets {
    private BuiltinTargets() {
    }

    public static void registerAll(TargetRegistry r) {
        r.register(LinearTarget.TYPE);
        r.register(ZeroTarget.TYPE);
        r.register(ErrorTarget.TYPE);
        r.register(StripedTarget.TYPE);
        r.register(UnstripedTarget.TYPE);
        r.register(DelayTarget.TYPE);
        r.register(FlakeyTarget.TYPE);
        r.register(DustTarget.TYPE);
        r.register(MultipathTarget.TYPE);
    }
}
