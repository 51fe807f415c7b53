package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetArgs;
import io.mapperd.dm.core.TargetException;

import java.util.List;

/**
 * historical-service-time: keeps a time-weighted moving average of each path's service time
 * (10-bit fixed point) and sends each bio to the path with the best estimate for its number of
 * outstanding bios. A path that has finished nothing for (valid paths x its average) is stale: an
 * idle stale path gets one probe bio, a busy stale one no more than its share. Group arguments are
 * [base_weight [threshold_multiplier]]: base_weight in [0, 1024) (default 972, about 0.95),
 * paths whose averages are within threshold_multiplier of each other are compared by load alone.
 */
public final class HistoricalServiceTimeSelector extends PathListSelector<HistoricalServiceTimeSelector.Info> {
    private static final int FIXED_SHIFT = 10;
    private static final long FIXED_1 = 1L << FIXED_SHIFT;
    private static final long FIXED_MAX = -1L >>> FIXED_SHIFT;
    private static final long FIXED_95 = 972;
    private static final long MAX_INFLIGHT = FIXED_1;
    private static final int BUCKET_SHIFT = 24;
    private static final int WEIGHT_COUNT = 64;
    /** Origin of this selector's clock, so times are positive like the kernel's sched_clock. */
    private static final long CLOCK_BASE = System.nanoTime() - 1;

    public static final PathSelectorType TYPE = new PathSelectorType() {
        @Override
        public String name() {
            return "historical-service-time";
        }

        @Override
        public String version() {
            return "0.1.1";
        }

        @Override
        public PathSelector create(List<String> args) throws TargetException {
            String err = "historical-service-time ps: invalid arguments";
            if (args.size() > 2) {
                throw new TargetException(err);
            }
            long base = FIXED_95;
            long threshold = 0;
            if (!args.isEmpty()) {
                base = TargetArgs.parseUnsigned(args.get(0), 0, FIXED_1 - 1, err);
            }
            if (args.size() > 1) {
                threshold = TargetArgs.parseUnsigned(args.get(1), 0, 0xffff_ffffL, err);
            }
            return new HistoricalServiceTimeSelector(base, threshold);
        }
    };

    /** Per-path state, guarded by the selector. */
    static final class Info {
        long historicalServiceTime = FIXED_1;
        long outstanding;
        long staleAfter;
        long lastFinish;
    }

    private final long[] weights = new long[WEIGHT_COUNT];
    private final long thresholdMultiplier;
    /** Paths ordered by {@link #compare}, as a field so selection allocates nothing. */
    private final Order<Info> byServiceTime = this::compare;

    private HistoricalServiceTimeSelector(long baseWeight, long thresholdMultiplier) {
        super(TYPE, 1, 3);
        this.thresholdMultiplier = thresholdMultiplier;
        for (int i = 0; i < WEIGHT_COUNT - 1; i++) {
            weights[i] = fixedPower(baseWeight, FIXED_SHIFT, i + 1);
        }
        weights[WEIGHT_COUNT - 1] = 0;
    }

    /** x^n in fixed point with {@code frac} fractional bits, rounding each step. */
    static long fixedPower(long x, int frac, int n) {
        long result = 1L << frac;
        long half = 1L << (frac - 1);
        while (n != 0) {
            if ((n & 1) != 0) {
                result = (result * x + half) >>> frac;
            }
            n >>>= 1;
            if (n != 0) {
                x = (x * x + half) >>> frac;
            }
        }
        return result;
    }

    /** Next exponential moving average: last * weight + next * (1 - weight). */
    static long fixedEma(long last, long next, long weight) {
        return (last * weight + next * (FIXED_1 - weight) + (1L << (FIXED_SHIFT - 1))) >>> FIXED_SHIFT;
    }

    private static long clock() {
        return System.nanoTime() - CLOCK_BASE;
    }

    /** Paths take no state from their arguments, only a repeat count that is checked and dropped. */
    @Override
    protected Info newInfo(List<String> args) throws TargetException {
        RepeatCount.parse(TYPE.name(), args, 1);
        return new Info();
    }

    /** Negative when {@code a} is better, positive when {@code b} is. */
    private long compare(Info a, Info b, long now) {
        long hst1 = a.historicalServiceTime;
        long hst2 = b.historicalServiceTime;
        long out1 = a.outstanding;
        long out2 = b.outstanding;
        long stale1 = a.staleAfter;
        long stale2 = b.staleAfter;
        boolean overThreshold = Long.compareUnsigned(hst1, hst2) > 0
                ? Long.compareUnsigned(hst1, thresholdMultiplier * hst2) > 0
                : Long.compareUnsigned(hst2, thresholdMultiplier * hst1) > 0;
        if (!overThreshold) {
            return out1 - out2;
        }
        if ((out1 == 0 && stale1 < now) || (out2 == 0 && stale2 < now) || (out1 == 0 && out2 == 0)) {
            return (out2 == 0 ? stale1 : 0) - (out1 == 0 ? stale2 : 0);
        }
        boolean bBetter;
        if (out1 == out2) {
            bBetter = Long.compareUnsigned(hst1, hst2) > 0;
        } else {
            if (out1 >= MAX_INFLIGHT || out2 >= MAX_INFLIGHT) {
                hst1 >>>= FIXED_SHIFT;
                hst2 >>>= FIXED_SHIFT;
            }
            bBetter = Long.compareUnsigned((1 + out1) * hst1, (1 + out2) * hst2) > 0;
        }
        if (bBetter) {
            return stale2 < now ? out1 - out2 : 1;
        }
        return stale1 < now ? out1 - out2 : -1;
    }

    @Override
    public synchronized PgPath selectPath(long bytes) {
        return selectLeast(byServiceTime, clock());
    }

    @Override
    public synchronized void startIo(PgPath path, long bytes) {
        info(path).outstanding++;
    }

    @Override
    public synchronized void endIo(PgPath path, long bytes, long startNanos) {
        Info i = info(path);
        long start = startNanos - CLOCK_BASE;
        long now = clock();
        if (i.lastFinish > start) {
            start = i.lastFinish;
        }
        i.lastFinish = now;
        long st = now < start ? 0 : now - start;
        int bucket = (int) Math.min(WEIGHT_COUNT - 1, st >>> BUCKET_SHIFT);
        long sample = st > FIXED_MAX ? FIXED_MAX : Math.min(st * FIXED_1, FIXED_MAX);
        i.outstanding--;
        i.historicalServiceTime = fixedEma(i.historicalServiceTime, sample, weights[bucket]);
        i.staleAfter = i.lastFinish + validCount() * (i.historicalServiceTime >>> FIXED_SHIFT);
    }

    @Override
    protected String groupStatus() {
        return "2 " + weights[0] + " " + thresholdMultiplier + " ";
    }

    @Override
    protected String pathStatus(Info i, StatusType type) {
        return type == StatusType.TABLE ? "0 "
                : Long.toUnsignedString(i.historicalServiceTime) + " " + i.outstanding + " " + i.staleAfter + " ";
    }
}
