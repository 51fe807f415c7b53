package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.ArrayList;
import java.util.List;

/**
 * The bookkeeping every path selector shares, as the kernel's selectors each keep it: the valid
 * and failed path lists, and one state {@code I} per path built from the path's table arguments.
 * A subclass supplies only its policy: how to build a path's state, which valid path to pick, and
 * how a path's state reads in status lines. The lists are guarded by this object; a path's state
 * hangs on the path itself (as the kernel's pscontext), so start and end of I/O reach it without
 * that lock.
 */
abstract class PathListSelector<I> implements PathSelector {
    /** Orders two paths' states for {@link #selectLeast}: negative when {@code a} is the better one. */
    @FunctionalInterface
    protected interface Order<I> {
        long compare(I a, I b, long arg);
    }

    private final PathSelectorType selectorType;
    private final int tableArgs;
    private final int infoArgs;
    /** Valid paths, in the order the policy walks them. */
    protected final List<PgPath> valid = new ArrayList<>();
    private final List<PgPath> failed = new ArrayList<>();

    protected PathListSelector(PathSelectorType type, int tableArgs, int infoArgs) {
        this.selectorType = type;
        this.tableArgs = tableArgs;
        this.infoArgs = infoArgs;
    }

    /** The state of a new path from its per-path arguments; throws with the selector's own words. */
    protected abstract I newInfo(List<String> args) throws TargetException;

    /** The words a path's state prints in {@code type}'s form, each followed by one space. */
    protected abstract String pathStatus(I info, StatusType type);

    /** The words for the whole group; "0 " (no group arguments) unless the selector has some. */
    protected String groupStatus() {
        return "0 ";
    }

    /** Whether a reinstated path goes to the front of the valid list rather than the back. */
    protected boolean reinstatesFirst() {
        return false;
    }

    @Override
    public final String name() {
        return selectorType.name();
    }

    @Override
    public final int tableArgs() {
        return tableArgs;
    }

    @Override
    public final int infoArgs() {
        return infoArgs;
    }

    @Override
    public final synchronized void addPath(PgPath path, List<String> args) throws TargetException {
        path.selectorInfo(newInfo(args));
        valid.add(path);
    }

    @Override
    public final synchronized void failPath(PgPath path) {
        valid.remove(path);
        failed.addFirst(path);
    }

    @Override
    public final synchronized void reinstatePath(PgPath path) {
        failed.remove(path);
        if (reinstatesFirst()) {
            valid.addFirst(path);
        } else {
            valid.addLast(path);
        }
    }

    @Override
    public final synchronized String status(PgPath path, StatusType type) {
        return path == null ? groupStatus() : pathStatus(info(path), type);
    }

    /** A path's state; what in it changes on every I/O must be safe without this selector's lock. */
    @SuppressWarnings("unchecked")
    protected final I info(PgPath path) {
        return (I) path.selectorInfo();
    }

    /** How many paths are valid; the caller holds this selector's lock. */
    protected final int validCount() {
        return valid.size();
    }

    /** Moves {@code best} (when not null) to the back of the valid list, and returns it. */
    protected final PgPath requeue(PgPath best) {
        if (best != null) {
            valid.remove(best);
            valid.addLast(best);
        }
        return best;
    }

    /**
     * The valid path {@code order} ranks best (the first of equals), moved to the back of the
     * list; null when no path is valid. The caller holds this selector's lock.
     */
    protected final PgPath selectLeast(Order<I> order, long arg) {
        PgPath best = null;
        for (PgPath p : valid) {
            if (best == null || order.compare(info(p), info(best), arg) < 0) {
                best = p;
            }
        }
        return requeue(best);
    }
}
