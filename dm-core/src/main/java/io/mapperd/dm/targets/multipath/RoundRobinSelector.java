package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * round-robin: each bio goes to the next valid path in turn. The per-path repeat_count is
 * accepted, but values above 1 are deprecated and replaced by 1 (for bio- and request-based
 * maps alike), so the table echoes 1 and every bio moves on to the next path.
 */
public final class RoundRobinSelector implements PathSelector {

    public static final PathSelectorType TYPE = new PathSelectorType() {
        @Override
        public String name() {
            return "round-robin";
        }

        @Override
        public String version() {
            return "1.2.0";
        }

        @Override
        public PathSelector create(List<String> args) {
            return new RoundRobinSelector();
        }
    };

    private final Map<PgPath, Long> repeatCounts = new IdentityHashMap<>();
    private final List<PgPath> valid = new ArrayList<>();
    private final List<PgPath> invalid = new ArrayList<>();

    @Override
    public String name() {
        return TYPE.name();
    }

    @Override
    public int tableArgs() {
        return 1;
    }

    @Override
    public int infoArgs() {
        return 0;
    }

    @Override
    public synchronized void addPath(PgPath path, List<String> args) throws TargetException {
        repeatCounts.put(path, RepeatCount.parse(TYPE.name(), args, 1));
        valid.add(path);
    }

    @Override
    public synchronized void failPath(PgPath path) {
        valid.remove(path);
        invalid.addFirst(path);
    }

    @Override
    public synchronized void reinstatePath(PgPath path) {
        invalid.remove(path);
        valid.addFirst(path);
    }

    @Override
    public synchronized PgPath selectPath(long bytes) {
        if (valid.isEmpty()) {
            return null;
        }
        PgPath p = valid.removeFirst();
        valid.addLast(p);
        return p;
    }

    @Override
    public synchronized String status(PgPath path, StatusType type) {
        if (path == null) {
            return "0 ";
        }
        return type == StatusType.TABLE ? repeatCounts.get(path) + " " : "";
    }
}
