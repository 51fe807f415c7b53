package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * service-time: each bio goes to the valid path with the shortest estimated service time,
 * (bytes in flight + this bio) / relative_throughput. Per-path arguments are
 * [repeat_count [relative_throughput]], throughput 0..100 (default 1; 0 means "only when no
 * path with a positive value is left").
 */
public final class ServiceTimeSelector implements PathSelector {
    private static final int MAX_RELATIVE_THROUGHPUT = 100;
    private static final int MAX_RELATIVE_THROUGHPUT_SHIFT = 7;
    private static final long MAX_INFLIGHT_SIZE = -1L >>> MAX_RELATIVE_THROUGHPUT_SHIFT;

    public static final PathSelectorType TYPE = new PathSelectorType() {
        @Override
        public String name() {
            return "service-time";
        }

        @Override
        public String version() {
            return "0.3.0";
        }

        @Override
        public PathSelector create(List<String> args) {
            return new ServiceTimeSelector();
        }
    };

    /** Per-path state: arguments as given and the bytes in flight. */
    private record Info(long repeatCount, long relativeThroughput, AtomicLong inflightBytes) {
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
        return 2;
    }

    @Override
    public int infoArgs() {
        return 2;
    }

    @Override
    public synchronized void addPath(PgPath path, List<String> args) throws TargetException {
        long repeat = RepeatCount.parse(TYPE.name(), args, 2);
        long throughput = 1;
        if (args.size() == 2) {
            throughput = TargetArgs.parseUnsigned(args.get(1), 0, MAX_RELATIVE_THROUGHPUT,
                    "service-time ps: invalid relative_throughput value");
        }
        infos.put(path, new Info(repeat, throughput, new AtomicLong()));
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

    /** Negative when {@code a} is the better path for {@code incoming} more bytes, positive when {@code b} is. */
    private static long compareLoad(Info a, Info b, long incoming) {
        long sz1 = a.inflightBytes().get();
        long sz2 = b.inflightBytes().get();
        long t1 = a.relativeThroughput();
        long t2 = b.relativeThroughput();
        if (t1 == t2) {
            return Long.compare(sz1, sz2);
        }
        if (sz1 == sz2 || t1 == 0 || t2 == 0) {
            return t2 - t1;
        }
        sz1 += incoming;
        sz2 += incoming;
        if (sz1 >= MAX_INFLIGHT_SIZE || sz2 >= MAX_INFLIGHT_SIZE) {
            sz1 >>>= MAX_RELATIVE_THROUGHPUT_SHIFT;
            sz2 >>>= MAX_RELATIVE_THROUGHPUT_SHIFT;
        }
        long st1 = sz1 * t2;
        long st2 = sz2 * t1;
        if (st1 != st2) {
            return Long.compare(st1, st2);
        }
        return t2 - t1;
    }

    @Override
    public synchronized PgPath selectPath(long bytes) {
        PgPath best = null;
        for (PgPath p : valid) {
            if (best == null || compareLoad(infos.get(p), infos.get(best), bytes) < 0) {
                best = p;
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
        info(path).inflightBytes().addAndGet(bytes);
    }

    @Override
    public void endIo(PgPath path, long bytes, long startNanos) {
        info(path).inflightBytes().addAndGet(-bytes);
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
        return type == StatusType.TABLE
                ? i.repeatCount() + " " + i.relativeThroughput() + " "
                : i.inflightBytes().get() + " " + i.relativeThroughput() + " ";
    }
}
