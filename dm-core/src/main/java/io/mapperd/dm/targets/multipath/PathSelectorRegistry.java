package io.mapperd.dm.targets.multipath;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known path selectors by name, as the kernel's dm_register_path_selector list. The four
 * kernel selectors are built in; other modules add theirs with {@link #register} or as
 * {@link PathSelectorType} services.
 */
public final class PathSelectorRegistry {
    private static final PathSelectorRegistry GLOBAL = withBuiltins();

    private final Map<String, PathSelectorType> types = new ConcurrentHashMap<>();

    public static PathSelectorRegistry global() {
        return GLOBAL;
    }

    public static PathSelectorRegistry withBuiltins() {
        PathSelectorRegistry r = new PathSelectorRegistry();
        r.register(RoundRobinSelector.TYPE);
        r.register(QueueLengthSelector.TYPE);
        r.register(ServiceTimeSelector.TYPE);
        r.register(HistoricalServiceTimeSelector.TYPE);
        for (PathSelectorType t : ServiceLoader.load(PathSelectorType.class)) {
            r.register(t);
        }
        return r;
    }

    public void register(PathSelectorType type) {
        types.put(type.name(), type);
    }

    public Optional<PathSelectorType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }
}
