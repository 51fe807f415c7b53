package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * queue-length: each bio goes to the valid path with the fewest bios in flight; among equals the
 * one used longest ago. INFO prints each path's in-flight count.
 */
public final class QueueLengthSelector implements PathSelector {

    public static final PathSelectorType TYPE = new PathSelectorType() {
        @Override
        public String name() {
            return "queue-length";
        }

        @Override
        public String version() {
            return "0.2.0";
        }

        @Override
        public PathSelector create(List<String> args) {
            return new QueueLengthSelector();
        }
    };

    /** Per-path state: the repeat count as given and the bios in flight. */
    private record Info(long repeatCount, AtomicLong inflight) {
    }

    private final Map<PgPath, Info> infos = new IdentityHashMap<>();
    private final List<PgPath> valid = new ArrayList<>();
    private final List<PgPath> failed = new ArrayList<>();

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
        return 1;
    }

    @Override
    public synchronized void addPath(PgPath path, List<String> args) throws TargetException {
        infos.put(path, new Info(RepeatCount.parse(TYPE.name(), args, 1), new AtomicLong()));
        valid.add(path);
    }

    @Override
    public synchronized void failPath(PgPath path) {
        valid.remove(path);
        failed.addFirst(path);
    }

    @Override
    public synchronized void reinstatePath(PgPath path) {
        failed.remove(path);
        valid.addLast(path);
    }

    @Override
    public synchronized PgPath selectPath(long bytes) {
        PgPath best = null;
        long bestLen = 0;
        for (PgPath p : valid) {
            long len = infos.get(p).inflight().get();
            if (best == null || len < bestLen) {
                best = p;
                bestLen = len;
            }
            if (bestLen == 0) {
                break;
            }
        }
        if (best != null) {
            valid.remove(best);
            valid.addLast(best);
        }
        return best;
    }

    @Override
    public void startIo(PgPath path, long bytes) {
        info(path).inflight().incrementAndGet();
    }

    @Override
    public void endIo(PgPath path, long bytes, long startNanos) {
        info(path).inflight().decrementAndGet();
    }

    private synchronized Info info(PgPath path) {
        return infos.get(path);
    }

    @Override
    public synchronized String status(PgPath path, StatusType type) {
        if (path == null) {
            return "0 ";
        }
        Info i = infos.get(path);
        return (type == StatusType.TABLE ? i.repeatCount() : i.inflight().get()) + " ";
    }
}
