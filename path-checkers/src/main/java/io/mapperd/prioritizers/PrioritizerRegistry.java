package io.mapperd.prioritizers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Prioritizers by the name the prio keyword gives. They keep no per-path state; one instance serves all paths. */
public final class PrioritizerRegistry {
    private static final PrioritizerRegistry BUILTIN = withBuiltins();

    private final Map<String, Prioritizer> byName = new ConcurrentHashMap<>();

    public static PrioritizerRegistry builtin() {
        return BUILTIN;
    }

    public static PrioritizerRegistry withBuiltins() {
        PrioritizerRegistry r = new PrioritizerRegistry();
        for (Prioritizer p : List.of(new AluaPrioritizer(), new ConstPrioritizer(), new WeightedPathPrioritizer(),
                new PathLatencyPrioritizer(), new RandomPrioritizer(), new SysfsPrioritizer())) {
            r.register(p);
        }
        return r;
    }

    public void register(Prioritizer p) {
        byName.put(p.name(), p);
    }

    /** The prioritizer of that name; an unknown name is an error naming the known ones. */
    public Prioritizer get(String name) {
        Prioritizer p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown prioritizer '" + name + "' (known: " + names() + ")");
        }
        return p;
    }

    public List<String> names() {
        return List.copyOf(new TreeMap<>(byName).keySet());
    }
}
