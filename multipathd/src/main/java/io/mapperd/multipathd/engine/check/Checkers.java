package io.mapperd.multipathd.engine.check;

import io.mapperd.multipathd.engine.PathState;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Checkers by the names path_checker takes. A name we do not have gives a checker that reports the
 * path unchecked with the reason, as multipathd does when it cannot load a checker.
 */
public final class Checkers {
    private static final Map<String, PathChecker> BUILTIN = Map.of(
            "tur", new TurChecker(),
            "readsector0", new ReadSectorChecker("readsector0"),
            "directio", new ReadSectorChecker("directio"),
            "none", new NoneChecker());

    private Checkers() {
    }

    public static PathChecker forName(String name) {
        String n = name == null || name.isEmpty() ? "tur" : name;
        PathChecker c = BUILTIN.get(n);
        if (c != null) {
            return c;
        }
        return new PathChecker() {
            @Override
            public String name() {
                return n;
            }

            @Override
            public CompletableFuture<CheckResult> check(io.mapperd.multipathd.engine.path.PathIo path) {
                return CompletableFuture.completedFuture(new CheckResult(PathState.UNCHECKED,
                        "checker " + n + " is not available"));
            }
        };
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
