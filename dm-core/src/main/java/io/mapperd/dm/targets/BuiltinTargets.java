package io.mapperd.dm.targets;

import io.mapperd.dm.core.TargetRegistry;
import io.mapperd.dm.targets.multipath.MultipathTarget;

/**
 * Registers the targets that ship in dm-core: error, linear and striped as built into dm-mod (in
 * the order dm-mod's init registers them), the others as the kernel's modules.
 */
public final class BuiltinTargets {
    private BuiltinTargets() {
    }

    public static void registerAll(TargetRegistry r) {
        r.registerBuiltin(ErrorTarget.TYPE);
        r.registerBuiltin(LinearTarget.TYPE);
        r.registerBuiltin(StripedTarget.TYPE);
        r.register(ZeroTarget.TYPE);
        r.register(UnstripedTarget.TYPE);
        r.register(DelayTarget.TYPE);
        r.register(FlakeyTarget.TYPE);
        r.register(DustTarget.TYPE);
        r.register(MultipathTarget.TYPE);
    }
}
