package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * queue-length: each bio goes to the valid path with the fewest bios in flight; among equals the
 * one used longest ago. INFO prints each path's in-flight count.
 */
public final class QueueLengthSelector extends PathListSelector<QueueLengthSelector.Info> {

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
    record Info(long repeatCount, AtomicLong inflight) {
    }

    public QueueLengthSelector() {
        super(TYPE, 1, 1);
    }

    @Override
    protected Info newInfo(List<String> args) throws TargetException {
        return new Info(RepeatCount.parse(TYPE.name(), args, 1), new AtomicLong());
    }

    @Override
    public synchronized PgPath selectPath(long bytes) {
        PgPath best = null;
        long bestLen = 0;
        for (PgPath p : valid) {
            long len = info(p).inflight().get();
            if (best == null || len < bestLen) {
                best = p;
                bestLen = len;
            }
            if (bestLen == 0) {
                break;
            }
        }
        return requeue(best);
    }

    @Override
    public void startIo(PgPath path, long bytes) {
        info(path).inflight().incrementAndGet();
    }

    @Override
    public void endIo(PgPath path, long bytes, long startNanos) {
        info(path).inflight().decrementAndGet();
    }

    @Override
    protected String pathStatus(Info i, StatusType type) {
        return (type == StatusType.TABLE ? i.repeatCount() : i.inflight().get()) + " ";
    }
}
