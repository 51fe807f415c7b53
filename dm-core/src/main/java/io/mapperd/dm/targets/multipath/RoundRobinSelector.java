package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.List;

/**
 * round-robin: each bio goes to the next valid path in turn. The per-path repeat_count is
 * accepted, but values above 1 are deprecated and replaced by 1 (for bio- and request-based
 * maps alike), so the table echoes 1 and every bio moves on to the next path.
 */
public final class RoundRobinSelector extends PathListSelector<Long> {

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

    public RoundRobinSelector() {
        super(TYPE, 1, 0);
    }

    /** The state of a path is its repeat count as the table echoes it. */
    @Override
    protected Long newInfo(List<String> args) throws TargetException {
        return RepeatCount.parse(TYPE.name(), args, 1);
    }

    /** A reinstated path is the next one used. */
    @Override
    protected boolean reinstatesFirst() {
        return true;
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
    protected String pathStatus(Long repeatCount, StatusType type) {
        return type == StatusType.TABLE ? repeatCount + " " : "";
    }
}
