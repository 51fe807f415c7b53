package io.mapperd.dm.core;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known target types, as the kernel's list of registered targets. The built-in targets are
 * registered from {@link io.mapperd.dm.targets.BuiltinTargets}; other modules (multipath, ...) add theirs.
 * <p>
 * Like the kernel, it tells apart the targets compiled into dm-mod (error, linear, striped: listed
 * from the start) and those the kernel builds as modules: these are available at once but, as the
 * kernel loads a module the first time a table names its target, they are listed by
 * {@link #loaded()} (what `dmsetup targets` prints) only from their first use on.
 */
public final class TargetRegistry {
    private final Map<String, TargetType> types = new ConcurrentHashMap<>();
    /** Names of the loaded types, the last loaded first (the kernel adds to the head of its list). */
    private final Deque<String> loaded = new ArrayDeque<>();

    public static TargetRegistry withBuiltins() {
        TargetRegistry r = new TargetRegistry();
        io.mapperd.dm.targets.BuiltinTargets.registerAll(r);
        for (TargetType t : ServiceLoader.load(TargetType.class)) {
            r.register(t);
        }
        return r;
    }

    /** A target the kernel builds as a module: available now, listed once a table has used it. */
    public void register(TargetType type) {
        types.put(type.name(), type);
    }

    /** A target compiled into dm-mod: loaded (and listed) from the start. */
    public synchronized void registerBuiltin(TargetType type) {
        types.put(type.name(), type);
        loaded.remove(type.name());
        loaded.addFirst(type.name());
    }

    /** As dm_unregister_target (the module's unload, or a kernel built without it): the type is gone. */
    public synchronized void unregister(String name) {
        types.remove(name);
        loaded.remove(name);
    }

    /** Whether a type of that name is registered; does not load it. */
    public Optional<TargetType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** As dm_get_target_type: the type a table names, its module loaded on first use (request_module). */
    public synchronized Optional<TargetType> load(String name) {
        TargetType t = types.get(name);
        if (t != null && !loaded.contains(name)) {
            loaded.addFirst(name);
        }
        return Optional.ofNullable(t);
    }

    /** The loaded types in the kernel's order, the last loaded first: what `dmsetup targets` lists. */
    public synchronized List<TargetType> loaded() {
        return loaded.stream().map(types::get).toList();
    }

    /** All registered types by name, loaded or not. */
    public Collection<TargetType> all() {
        return new TreeMap<>(types).values();
    }
}
