package io.mapperd.multipathd.engine.prio;

import java.util.Map;

/** Prioritizers by the names prio takes; a name we do not have falls back to const. */
public final class Prioritizers {
    private static final Map<String, Prioritizer> BUILTIN = Map.of(
            "const", new ConstPrioritizer(),
            "alua", new AluaPrioritizer(),
            "sysfs", new SysfsPrioritizer("sysfs"),
            "ana", new SysfsPrioritizer("ana"));

    private Prioritizers() {
    }

    public static boolean has(String name) {
        return BUILTIN.containsKey(name);
    }

    public static Prioritizer forName(String name) {
        Prioritizer p = name == null ? null : BUILTIN.get(name);
        return p != null ? p : BUILTIN.get("const");
    }
}
