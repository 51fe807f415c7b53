package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;

import java.util.List;

/**
 * One priority group's path selector instance, as the kernel's struct path_selector with its
 * path_selector_type callbacks. The multipath target calls {@link #selectPath} for each bio, and
 * brackets every dispatched bio with {@link #startIo} and {@link #endIo}. Implementations are
 * thread-safe: selection runs under the map's lock, start/end run from completion threads.
 */
public interface PathSelector {
    /** The selector's name as tables spell it (round-robin, queue-length, ...). */
    String name();

    /** Per-path arguments the TABLE form prints for each path. */
    int tableArgs();

    /** Per-path values the INFO form prints for each path. */
    int infoArgs();

    /** Registers a path with its per-path arguments; throws with the selector's own words. */
    void addPath(PgPath path, List<String> args) throws TargetException;

    void failPath(PgPath path);

    void reinstatePath(PgPath path);

    /** The path for the next bio of {@code bytes} bytes, or null when no path is valid. */
    PgPath selectPath(long bytes);

    default void startIo(PgPath path, long bytes) {
    }

    /** {@code startNanos} is the System.nanoTime() at which the bio was sent to the path. */
    default void endIo(PgPath path, long bytes, long startNanos) {
    }

    /**
     * The selector's words in a status line: for the group when {@code path} is null, else for
     * that path. Every word is followed by one space, as the kernel's DMEMIT leaves it.
     */
    String status(PgPath path, StatusType type);
}
