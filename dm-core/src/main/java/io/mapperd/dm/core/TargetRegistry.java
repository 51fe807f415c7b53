package io.mapperd.dm.core;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known target types, as the kernel's list of registered targets. The built-in targets are
 * registered from {@link io.mapperd.dm.targets.BuiltinTargets}; other modules (multipath, ...) add theirs.
 */
public final class TargetRegistry {
    private final Map<String, TargetType> types = new ConcurrentHashMap<>();

    public static TargetRegistry withBuiltins() {
        TargetRegistry r = new TargetRegistry();
        io.mapperd.dm.targets.BuiltinTargets.registerAll(r);
        for (TargetType t : ServiceLoader.load(TargetType.class)) {
            r.register(t);
        }
        return r;
    }

    public void register(TargetType type) {
        types.put(type.name(), type);
    }

    public Optional<TargetType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** All types by name, as `dmsetup targets` lists them (we list in name order). */
    public Collection<TargetType> all() {
        return new TreeMap<>(types).values();
    }
}
