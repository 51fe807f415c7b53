package io.mapperd.checkers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checkers by the name path_checker gives, as multipath-tools' checker class list. Each
 * {@link #create} makes the instance for one path.
 */
public final class CheckerRegistry {
    /** multipath-tools' default checker_timeout when the device gives none (DEF_TIMEOUT). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final CheckerRegistry BUILTIN = withBuiltins();

    private final Map<String, Function<Duration, Checker>> factories = new ConcurrentHashMap<>();

    public static CheckerRegistry builtin() {
        return BUILTIN;
    }

    public static CheckerRegistry withBuiltins() {
        CheckerRegistry r = new CheckerRegistry();
        r.register(TurChecker.NAME, TurChecker::new);
        r.register(DirectioChecker.NAME, DirectioChecker::new);
        r.register(ReadSector0Checker.NAME, ReadSector0Checker::new);
        r.register(NoneChecker.NAME, NoneChecker::new);
        return r;
    }

    public void register(String name, Function<Duration, Checker> factory) {
        factories.put(name, factory);
    }

    /** A checker for one path; an unknown name is an error naming the known ones. */
    public Checker create(String name, Duration timeout) {
        Function<Duration, Checker> f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown path checker '" + name + "' (known: " + names() + ")");
        }
        return f.apply(timeout);
    }

    public List<String> names() {
        return List.copyOf(new TreeMap<>(factories).keySet());
    }
}
