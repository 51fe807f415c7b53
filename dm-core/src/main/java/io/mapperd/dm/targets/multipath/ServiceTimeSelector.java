package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * service-time: each bio goes to the valid path with the shortest estimated service time,
 * (bytes in flight + this bio) / relative_throughput. Per-path arguments are
 * [repeat_count [relative_throughput]], throughput 0..100 (default 1; 0 means "only when no
 * path with a positive value is left").
 */
public final class ServiceTimeSelector extends PathListSelector<ServiceTimeSelector.Info> {
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
    record Info(long repeatCount, long relativeThroughput, AtomicLong inflightBytes) {
    }

    /** Paths ordered by estimated service time, as a constant so selection allocates nothing. */
    private static final Order<Info> BY_SERVICE_TIME = ServiceTimeSelector::compareLoad;

    public ServiceTimeSelector() {
        super(TYPE, 2, 2);
    }

    @Override
    protected Info newInfo(List<String> args) throws TargetException {
        long repeat = RepeatCount.parse(TYPE.name(), args, 2);
        long throughput = 1;
        if (args.size() == 2) {
            throughput = TargetArgs.parseUnsigned(args.get(1), 0, MAX_RELATIVE_THROUGHPUT,
                    "service-time ps: invalid relative_throughput value");
        }
        return new Info(repeat, throughput, new AtomicLong());
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
        return selectLeast(BY_SERVICE_TIME, bytes);
    }

    @Override
    public void startIo(PgPath path, long bytes) {
        info(path).inflightBytes().addAndGet(bytes);
    }

    @Override
    public void endIo(PgPath path, long bytes, long startNanos) {
        info(path).inflightBytes().addAndGet(-bytes);
    }

    @Override
    protected String pathStatus(Info i, StatusType type) {
        return type == StatusType.TABLE
                ? i.repeatCount() + " " + i.relativeThroughput() + " "
                : i.inflightBytes().get() + " " + i.relativeThroughput() + " ";
    }
}
