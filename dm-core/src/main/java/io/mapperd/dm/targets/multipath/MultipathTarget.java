package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.Target;
import io.mapperd.dm.core.TargetContext;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.core.TargetType;
import io.mapperd.dm.core.stats.PathFailReason;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.CompletionClock;
import io.mapperd.dm.io.DevT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * multipath: sends each bio down one of several paths to the same storage, as dm-mpath does.
 * Paths sit in priority groups; the current group's selector picks a path per bio. A path error
 * fails the path, raises an event and retries the bio elsewhere (another path, then another
 * group); a data error goes back unchanged. With no usable path, bios are held while
 * queue_if_no_path is set (never blocking a thread) and fail otherwise. A group switch with a
 * hardware handler holds I/O until the handler's pg_init has run on the group's paths.
 */
public final class MultipathTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(MultipathTarget.class);

    public static final TargetType TYPE = new MultipathType(PathSelectorRegistry.global(), HwHandlerRegistry.global());

    /** A bio the map holds (no path, or pg_init running), with the future its submitter waits on. */
    private record Pending(Bio bio, CompletableFuture<Void> result) {
    }

    private final TargetContext ctx;
    private final MultipathFeatures features;
    private final String hwHandlerName;
    private final HwHandler hwHandler;
    private final List<PriorityGroup> groups;
    private final Object lock = new Object();

    // ---- state, guarded by lock (the kernel's m->lock and m->flags) ----
    private PriorityGroup currentPg;
    private PriorityGroup nextPg;
    private PgPath currentPgpath;
    private int nrValidPaths;
    private boolean queueIo = true;
    private boolean queueIfNoPath;
    private boolean savedQueueIfNoPath;
    private boolean pgInitRequired;
    private boolean pgInitDelayRetry;
    private int pgInitInProgress;
    private int pgInitCount;
    private boolean noflushSuspending;
    private boolean suspended;
    private boolean closed;
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private PriorityGroup lastPg;
    private long groupSwitches;
    private long failovers;

    MultipathTarget(TargetContext ctx, MultipathFeatures features, String hwHandlerName, HwHandler hwHandler,
                    List<PriorityGroup> groups, PriorityGroup initial) {
        this.ctx = ctx;
        this.features = features;
        this.hwHandlerName = hwHandlerName;
        this.hwHandler = hwHandler;
        this.groups = List.copyOf(groups);
        this.nextPg = initial;
        this.queueIfNoPath = features.queueIfNoPath();
        for (PriorityGroup pg : groups) {
            nrValidPaths += pg.paths().size();
        }
    }

    public List<PriorityGroup> groups() {
        return groups;
    }

    /** Bios the map holds now (for tests and the daemon's view). */
    public int queuedBios() {
        synchronized (lock) {
            return queued.size();
        }
    }

    /** Number of the group serving I/O now, 0 when none (no usable path yet, or all failed). */
    public int activeGroup() {
        synchronized (lock) {
            return currentPg == null ? 0 : currentPg.number();
        }
    }

    /** Paths not failed. */
    public int validPaths() {
        synchronized (lock) {
            return nrValidPaths;
        }
    }

    public boolean queueIfNoPath() {
        synchronized (lock) {
            return queueIfNoPath;
        }
    }

    /** Times I/O moved to another priority group (the first choice of a group is not a switch). */
    public long groupSwitches() {
        synchronized (lock) {
            return groupSwitches;
        }
    }

    /** Path failures in the group serving I/O: each moved I/O to another path or group. */
    public long failovers() {
        synchronized (lock) {
            return failovers;
        }
    }

    // ---- I/O ----

    @Override
    public CompletableFuture<Void> map(Bio bio) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        // as dm-mpath does: a path whose transport is reconnecting fails the bio rather than hold it
        Bio b = bio.has(Bio.FAILFAST_TRANSPORT) ? bio : bio.withFlags(bio.flags() | Bio.FAILFAST_TRANSPORT);
        mapBio(new Pending(b, result));
        return result;
    }

    /** The kernel's __multipath_map_bio: pick a path, or hold, requeue or fail the bio. */
    private void mapBio(Pending pending) {
        PgPath p;
        BlkStatus fail = null;
        boolean startPgInit = false;
        synchronized (lock) {
            p = currentPgpath;
            if (p == null || !queueIo) {
                p = choosePgpath(pending.bio().bytes());
            }
            if (p == null) {
                if (queueIfNoPath && !noflushSuspending) {
                    queued.add(pending);
                    return;
                }
                fail = noflushSuspending ? BlkStatus.DM_REQUEUE : BlkStatus.IOERR;
            } else if (queueIo || pgInitRequired) {
                queued.add(pending);
                startPgInit = true;
            } else {
                p.group().selector().startIo(p, pending.bio().bytes());
            }
        }
        if (fail != null) {
            pending.result().completeExceptionally(new BioException(fail, fail == BlkStatus.IOERR
                    ? ctx.deviceName() + ": no usable path" : ctx.deviceName() + ": requeued for resume"));
            return;
        }
        if (startPgInit) {
            pgInitAllPaths();
            return;
        }
        dispatch(p, pending);
    }

    private void dispatch(PgPath p, Pending pending) {
        long start = System.nanoTime();
        CompletableFuture<Void> f;
        try {
            f = p.device().submit(pending.bio());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, ex) -> endIo(p, pending, start, ex));
    }

    /** The kernel's multipath_end_io_bio. */
    private void endIo(PgPath p, Pending pending, long start, Throwable ex) {
        p.group().selector().endIo(p, pending.bio().bytes(), start);
        if (ctx.ioStatsEnabled()) {
            p.ioStats().record(pending.bio().op(), pending.bio().bytes(), CompletionClock.now() - start, ex != null);
        }
        if (ex == null) {
            pending.result().complete(null);
            return;
        }
        BlkStatus status = BioException.statusOf(ex);
        if (!status.isPathError()) {
            pending.result().completeExceptionally(BioException.of(ex));
            return;
        }
        failPath(p, PathFailReason.IO_ERROR);
        BlkStatus fail = null;
        boolean retryNow = false;
        synchronized (lock) {
            if (nrValidPaths == 0 && !queueIfNoPath) {
                fail = noflushSuspending ? BlkStatus.DM_REQUEUE : BlkStatus.IOERR;
            } else if (queueIo) {
                queued.add(pending); // pg_init is running: its completion resubmits
            } else {
                retryNow = true;
            }
        }
        if (fail == BlkStatus.DM_REQUEUE) {
            pending.result().completeExceptionally(new BioException(fail, ctx.deviceName() + ": requeued for resume"));
        } else if (fail != null) {
            pending.result().completeExceptionally(new BioException(BlkStatus.IOERR,
                    ctx.deviceName() + ": last path failed: " + BioException.of(ex).getMessage()));
        } else if (retryNow) {
            // remap on this thread: each failure takes a path out, so this nests at most once per path
            mapBio(pending);
        }
    }

    /** Remaps every held bio (the kernel's process_queued_bios work), off the caller's thread. */
    private void processQueued() {
        try {
            ctx.scheduler().execute(this::remapQueued);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            remapQueued();
        }
    }

    private void remapQueued() {
        List<Pending> batch;
        synchronized (lock) {
            if (queued.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(queued);
            queued.clear();
        }
        for (Pending p : batch) {
            mapBio(p);
        }
    }

    // ---- path selection (call with lock held) ----

    private PgPath choosePgpath(long bytes) {
        if (nrValidPaths == 0) {
            queueIo = false;
            currentPgpath = null;
            currentPg = null;
            return null;
        }
        if (nextPg != null) {
            PriorityGroup pg = nextPg;
            nextPg = null;
            PgPath p = choosePathInPg(pg, bytes);
            if (p != null) {
                return p;
            }
        }
        if (currentPg != null) {
            PgPath p = choosePathInPg(currentPg, bytes);
            if (p != null) {
                return p;
            }
        }
        // first the groups not bypassed, then the bypassed ones (with a delayed pg_init retry)
        for (boolean bypassedPass : new boolean[] {false, true}) {
            for (PriorityGroup pg : groups) {
                if (pg.bypassed() != bypassedPass) {
                    continue;
                }
                PgPath p = choosePathInPg(pg, bytes);
                if (p != null) {
                    if (bypassedPass) {
                        pgInitDelayRetry = true;
                    }
                    return p;
                }
            }
        }
        currentPgpath = null;
        currentPg = null;
        return null;
    }

    private PgPath choosePathInPg(PriorityGroup pg, long bytes) {
        PgPath p = pg.selector().selectPath(bytes);
        if (p == null) {
            return null;
        }
        if (currentPg != pg) {
            currentPgpath = p;
            switchPg(pg);
        }
        return p;
    }

    private void switchPg(PriorityGroup pg) {
        if (lastPg != null && lastPg != pg) {
            groupSwitches++;
        }
        lastPg = pg;
        currentPg = pg;
        // with a hardware handler the new group must be initialised first, and I/O waits for it
        pgInitRequired = hwHandler != null;
        queueIo = hwHandler != null;
        pgInitCount = 0;
    }

    // ---- pg_init through the hardware handler ----

    /** The kernel's pg_init_all_paths: activates every active path of the current group. */
    private int pgInitAllPaths() {
        List<PgPath> activate = new ArrayList<>();
        long delay;
        int inProgress;
        synchronized (lock) {
            inProgress = pgInitAllPathsLocked(activate);
            delay = pgInitDelayRetry ? features.retryDelayMillis() : 0;
        }
        activate.forEach(p -> activatePath(p, delay));
        return inProgress;
    }

    private int pgInitAllPathsLocked(List<PgPath> activate) {
        if (pgInitInProgress > 0 || closed) {
            return 0;
        }
        pgInitCount++;
        pgInitRequired = false;
        if (currentPg == null) {
            return 0;
        }
        for (PgPath p : currentPg.paths()) {
            if (p.active()) {
                pgInitInProgress++;
                activate.add(p);
            }
        }
        return pgInitInProgress;
    }

    private void activatePath(PgPath p, long delayMillis) {
        Runnable run = () -> {
            if (!p.active() || hwHandler == null) {
                pgInitDone(p, p.active() ? PgInitResult.NOSYS : PgInitResult.DEV_OFFLINED);
                return;
            }
            CompletableFuture<PgInitResult> f;
            try {
                f = hwHandler.pgInit(p.device());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, ex) -> {
                if (ex != null) {
                    log.error("{}: pg_init of path {} by {} failed: {}", ctx.deviceName(), p, hwHandlerName, ex.toString());
                }
                pgInitDone(p, ex != null || r == null ? PgInitResult.DEV_FAILED : r);
            });
        };
        if (delayMillis > 0) {
            ctx.scheduler().schedule(run, delayMillis, TimeUnit.MILLISECONDS);
        } else {
            ctx.scheduler().execute(run);
        }
    }

    /** The kernel's pg_init_done. */
    private void pgInitDone(PgPath p, PgInitResult result) {
        PriorityGroup pg = p.group();
        boolean errors = result != PgInitResult.OK;
        boolean delayRetry = false;
        switch (result) {
            case OK -> {
            }
            case NOSYS -> {
                if (hwHandler == null) {
                    errors = false;
                } else {
                    log.error("{}: Could not failover the device: Handler scsi_dh_{} Error {}.",
                            ctx.deviceName(), hwHandlerName, result.code());
                    failPath(p, PathFailReason.PG_INIT);
                }
            }
            case DEV_TEMP_BUSY -> bypassPg(pg, true);
            case RETRY, IMM_RETRY, RES_TEMP_UNAVAIL -> {
                delayRetry = result == PgInitResult.RETRY;
                if (pgInitLimitReached()) {
                    failPath(p, PathFailReason.PG_INIT);
                }
                errors = false;
            }
            default -> failPath(p, PathFailReason.PG_INIT);
        }
        List<PgPath> activate = new ArrayList<>();
        boolean process = false;
        long delay = 0;
        synchronized (lock) {
            if (errors) {
                if (p == currentPgpath) {
                    log.error("{}: Could not failover device. Error {}.", ctx.deviceName(), result.code());
                    currentPgpath = null;
                    currentPg = null;
                }
            } else if (!pgInitRequired) {
                pg.setBypassed(false);
            }
            if (--pgInitInProgress > 0) {
                return;
            }
            if (pgInitRequired) {
                pgInitDelayRetry = delayRetry;
                delay = pgInitDelayRetry ? features.retryDelayMillis() : 0;
                if (pgInitAllPathsLocked(activate) > 0) {
                    process = false;
                } else {
                    queueIo = false;
                    process = true;
                }
            } else {
                queueIo = false;
                process = true;
            }
        }
        long d = delay;
        activate.forEach(a -> activatePath(a, d));
        if (process) {
            processQueued();
        }
    }

    private boolean pgInitLimitReached() {
        synchronized (lock) {
            if (pgInitCount <= features.pgInitRetries() && !closed) {
                pgInitRequired = true;
                return false;
            }
            return true;
        }
    }

    // ---- path and group state changes ----

    /** Takes a path out of use (fail_path, or a path error on I/O) and raises an event. */
    void failPath(PgPath p) {
        failPath(p, PathFailReason.MESSAGE);
    }

    void failPath(PgPath p, PathFailReason reason) {
        synchronized (lock) {
            if (!p.active()) {
                return;
            }
            log.warn("{}: Failing path {}.", ctx.deviceName(), p);
            p.group().selector().failPath(p);
            p.markFailed(reason);
            if (p.group() == currentPg) {
                failovers++;
            }
            nrValidPaths--;
            if (p == currentPgpath) {
                currentPgpath = null;
            }
        }
        triggerEvent();
    }

    void reinstatePath(PgPath p) {
        boolean runQueue = false;
        boolean activate = false;
        synchronized (lock) {
            if (p.active()) {
                return;
            }
            log.warn("{}: Reinstating path {}.", ctx.deviceName(), p);
            p.group().selector().reinstatePath(p);
            p.markActive();
            if (++nrValidPaths == 1) {
                currentPgpath = null;
                runQueue = true;
            } else if (hwHandler != null && currentPg == p.group()) {
                pgInitInProgress++;
                activate = true;
            }
        }
        if (activate) {
            activatePath(p, 0);
        }
        triggerEvent();
        if (runQueue) {
            processQueued();
        }
    }

    private void bypassPg(PriorityGroup pg, boolean bypassed) {
        synchronized (lock) {
            pg.setBypassed(bypassed);
            currentPgpath = null;
            currentPg = null;
        }
        triggerEvent();
    }

    private void switchGroup(int number) {
        synchronized (lock) {
            for (PriorityGroup pg : groups) {
                pg.setBypassed(false);
                if (pg.number() == number) {
                    currentPgpath = null;
                    currentPg = null;
                    nextPg = pg;
                }
            }
        }
        triggerEvent();
    }

    /** The kernel's queue_if_no_path(m, queue, save_old_value). */
    private void setQueueIfNoPath(boolean queue, boolean saveOld) {
        synchronized (lock) {
            if (saveOld) {
                if (!queueIfNoPath && savedQueueIfNoPath) {
                    log.error("{}: QIFNP disabled but saved as enabled, saving again loses state, not saving!", ctx.deviceName());
                } else {
                    savedQueueIfNoPath = queueIfNoPath;
                }
            } else if (!queue && savedQueueIfNoPath) {
                savedQueueIfNoPath = false;
            }
            queueIfNoPath = queue;
        }
        if (!queue) {
            processQueued();
        }
    }

    private void triggerEvent() {
        try {
            ctx.scheduler().execute(ctx::triggerEvent);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ctx.triggerEvent();
        }
    }

    // ---- suspend / resume ----

    /**
     * A flush suspend cannot finish while bios are held, so it stops queue_if_no_path (saving the
     * setting for resume) and the held bios fail if no path is left; bio-based maps do this for
     * noflush too. With noflush, held bios go back to the device (DM_REQUEUE) to be resubmitted
     * after resume.
     */
    @Override
    public void presuspend(boolean noflush) {
        synchronized (lock) {
            noflushSuspending = noflush;
        }
        if (features.queueMode() == QueueMode.BIO || !noflush) {
            setQueueIfNoPath(false, true);
        } else {
            processQueued();
        }
    }

    @Override
    public void postsuspend() {
        synchronized (lock) {
            suspended = true;
        }
    }

    @Override
    public void resume() {
        synchronized (lock) {
            suspended = false;
            noflushSuspending = false;
            if (savedQueueIfNoPath) {
                queueIfNoPath = true;
                savedQueueIfNoPath = false;
            }
        }
    }

    @Override
    public void close() {
        List<Pending> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(queued);
            queued.clear();
        }
        // the device resubmits these to whatever table is live next (or fails them if it goes away)
        left.forEach(p -> p.result().completeExceptionally(
                new BioException(BlkStatus.DM_REQUEUE, ctx.deviceName() + ": table replaced")));
        if (hwHandler != null) {
            groups.forEach(pg -> pg.paths().forEach(p -> hwHandler.detach(p.device())));
        }
    }

    // ---- messages ----

    @Override
    public String message(List<String> argv) throws TargetException {
        synchronized (lock) {
            if (suspended) {
                throw new TargetException(ctx.deviceName() + ": multipath message refused while suspended", DmException.EBUSY);
            }
        }
        if (argv.size() == 1) {
            if (argv.getFirst().equalsIgnoreCase("queue_if_no_path")) {
                setQueueIfNoPath(true, false);
                return "";
            }
            if (argv.getFirst().equalsIgnoreCase("fail_if_no_path")) {
                setQueueIfNoPath(false, false);
                return "";
            }
        }
        if (argv.size() != 2) {
            throw new TargetException("Invalid multipath message arguments. Expected 2 arguments, got " + argv.size() + ".");
        }
        String verb = argv.get(0);
        String arg = argv.get(1);
        if (verb.equalsIgnoreCase("disable_group") || verb.equalsIgnoreCase("enable_group")) {
            bypassPg(groupArg(arg, "bypass_pg"), verb.equalsIgnoreCase("disable_group"));
            return "";
        }
        if (verb.equalsIgnoreCase("switch_group")) {
            switchGroup(groupArg(arg, "switch_pg_num").number());
            return "";
        }
        boolean fail = verb.equalsIgnoreCase("fail_path");
        if (!fail && !verb.equalsIgnoreCase("reinstate_path")) {
            throw new TargetException("Unrecognised multipath message received: " + verb);
        }
        List<PgPath> matched = pathsNamed(arg);
        if (matched.isEmpty()) {
            throw new TargetException("message: " + verb + " " + arg + ": no such path in this map");
        }
        for (PgPath p : matched) {
            if (fail) {
                failPath(p);
            } else {
                reinstatePath(p);
            }
        }
        return "";
    }

    private PriorityGroup groupArg(String s, String fn) throws TargetException {
        int n = -1;
        if (s.matches("\\d{1,9}")) {
            n = Integer.parseInt(s);
        }
        if (n < 1 || n > groups.size()) {
            throw new TargetException("invalid PG number supplied to " + fn);
        }
        return groups.get(n - 1);
    }

    /** Paths matching a message's device argument: MAJOR:MINOR, or the name the table or the system gives it. */
    private List<PgPath> pathsNamed(String arg) throws TargetException {
        DevT want = null;
        if (DevT.looksLike(arg)) {
            want = DevT.parse(arg);
        }
        String real = null;
        if (want == null) {
            try {
                real = Path.of(arg).toRealPath().toString();
            } catch (Exception e) {
                if (!arg.startsWith("/dev/mapper/")) {
                    throw new TargetException("message: error getting device " + arg);
                }
            }
        }
        List<PgPath> out = new ArrayList<>();
        for (PriorityGroup pg : groups) {
            for (PgPath p : pg.paths()) {
                boolean match = want != null ? p.ref().devT().equals(want)
                        : arg.equals(p.ref().spec()) || arg.equals(p.device().name())
                        || (real != null && real.equals(realPath(p.device().name())));
                if (match) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String realPath(String name) {
        try {
            Path p = Path.of(name);
            return Files.exists(p) ? p.toRealPath().toString() : name;
        } catch (Exception e) {
            return name;
        }
    }

    // ---- status ----

    @Override
    public String status(StatusType type) {
        StringBuilder b = new StringBuilder();
        synchronized (lock) {
            if (type == StatusType.INFO) {
                b.append("2 ").append(queueIo ? 1 : 0).append(' ').append(pgInitCount).append(' ');
            } else {
                boolean bio = features.queueMode() == QueueMode.BIO;
                int n = (queueIfNoPath ? 1 : 0) + (features.pgInitRetries() > 0 ? 2 : 0)
                        + (features.pgInitDelayMsecs() != MultipathFeatures.PG_INIT_DELAY_DEFAULT ? 2 : 0)
                        + (features.retainAttachedHwHandler() ? 1 : 0) + (bio ? 2 : 0);
                b.append(n).append(' ');
                if (queueIfNoPath) {
                    b.append("queue_if_no_path ");
                }
                if (features.pgInitRetries() > 0) {
                    b.append("pg_init_retries ").append(features.pgInitRetries()).append(' ');
                }
                if (features.pgInitDelayMsecs() != MultipathFeatures.PG_INIT_DELAY_DEFAULT) {
                    b.append("pg_init_delay_msecs ").append(features.pgInitDelayMsecs()).append(' ');
                }
                if (features.retainAttachedHwHandler()) {
                    b.append("retain_attached_hw_handler ");
                }
                if (bio) {
                    b.append("queue_mode bio ");
                }
            }
            if (hwHandlerName == null || type == StatusType.INFO) {
                b.append("0 ");
            } else {
                b.append("1 ").append(hwHandlerName).append(' ');
            }
            b.append(groups.size()).append(' ');
            int pgNum = nextPg != null ? nextPg.number() : currentPg != null ? currentPg.number() : groups.isEmpty() ? 0 : 1;
            b.append(pgNum).append(' ');
            for (PriorityGroup pg : groups) {
                PathSelector ps = pg.selector();
                if (type == StatusType.INFO) {
                    b.append(pg.bypassed() ? 'D' : pg == currentPg ? 'A' : 'E').append(' ');
                } else {
                    b.append(pg.selectorType().name()).append(' ');
                }
                b.append(ps.status(null, type));
                b.append(pg.paths().size()).append(' ')
                        .append(type == StatusType.INFO ? ps.infoArgs() : ps.tableArgs()).append(' ');
                for (PgPath p : pg.paths()) {
                    b.append(p.name()).append(' ');
                    if (type == StatusType.INFO) {
                        b.append(p.active() ? 'A' : 'F').append(' ').append(p.failCount()).append(' ');
                    }
                    b.append(ps.status(p, type));
                }
            }
        }
        return b.toString();
    }

    // ---- what the table offers ----

    @Override
    public boolean passesFlush() {
        return true;
    }

    @Override
    public boolean supportsDiscard() {
        return allPaths(true, p -> p.device().supportsDiscard());
    }

    @Override
    public boolean supportsWriteZeroes() {
        return allPaths(true, p -> p.device().supportsWriteZeroes());
    }

    private boolean allPaths(boolean ifNone, java.util.function.Predicate<PgPath> test) {
        boolean any = false;
        for (PriorityGroup pg : groups) {
            for (PgPath p : pg.paths()) {
                any = true;
                if (!test.test(p)) {
                    return false;
                }
            }
        }
        return any || ifNone;
    }
}
