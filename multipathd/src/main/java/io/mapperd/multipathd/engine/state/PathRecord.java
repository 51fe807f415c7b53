package io.mapperd.multipathd.engine.state;

import io.mapperd.conf.BlacklistVerdict;
import io.mapperd.conf.ResolvedSettings;
import io.mapperd.multipathd.engine.PathState;
import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;

/** The engine's mutable state of one path. Only the engine's thread touches it. */
public final class PathRecord {
    public final PathInfo info;
    public final PathIo io;
    public final String source;
    public ResolvedSettings settings;
    public BlacklistVerdict blacklist;
    /** WWID of the map holding this path, null when orphan. */
    public String map;
    public PathState state = PathState.UNCHECKED;
    public String message = "";
    /** The path's state in the table: true when failed there (by us or by the target on I/O). */
    public boolean dmFailed;
    /** fail_path/reinstate_path messages sent and not yet done: events meanwhile show the old state. */
    public int dmMessagesInFlight;
    public int priority = -1;
    public int checkIntervalSecs;
    public long nextCheckMillis;
    public boolean checkPending;
    /** Completes when the check under way (or the last one) has been applied. */
    public java.util.concurrent.CompletableFuture<Void> checkDone = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** An operator failed the path: no checks until an operator reinstates it (multipathd's checker_disable). */
    public boolean checkerDisabled;
    public long failures;
    public boolean removed;
    // san_path_err_* (check_path_reinstate_state): failures counted, forget countdown, held back since
    public int errCount;
    public int forgetTicks;
    public boolean disableReinstate;
    public long disReinstateMillis;
    // marginal_path_*: when it last failed, and marginal until
    public long lastFailMillis = Long.MIN_VALUE;
    public long previousFailMillis = Long.MIN_VALUE;
    public boolean marginal;
    public long marginalUntilMillis;
    public boolean sampling;

    /** This path's checker instance (path-checkers keeps one per path) and what it was made for. */
    public io.mapperd.checkers.Checker checker;
    public String checkerKey = "";

    public PathRecord(PathInfo info, PathIo io, String source) {
        this.info = info;
        this.io = io;
        this.source = source;
    }

    public String name() {
        return info.dev();
    }

    public boolean blacklisted() {
        return blacklist != null && blacklist.blacklisted();
    }

    /** The path can be put in a map: identified, not blacklisted, openable. */
    public boolean mappable() {
        return identified() && io.device().isPresent();
    }

    /** The path is present, has a WWID and is not blacklisted: a dry run plans a map for it. */
    public boolean identified() {
        return !removed && !blacklisted() && !info.wwid().isEmpty();
    }
}
