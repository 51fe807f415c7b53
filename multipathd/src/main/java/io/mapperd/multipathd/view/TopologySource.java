package io.mapperd.multipathd.view;

import java.util.List;

/**
 * The daemon's state as the command language reads it: consistent snapshots of every path
 * (including orphans and blacklisted ones, which multipath-tools lists too) and every map.
 */
public interface TopologySource {
    List<PathView> paths();

    List<MapView> maps();

    /**
     * Brings the maps' kernel-side state (group and path states from each target's status) up to
     * date in what {@link #maps()} returns, as multipathd does (update_multipath) before it prints a
     * topology; returns when done, or when the state could not be had in time (then the last one stands).
     *
     * @param map the one map to read (name or WWID), or null for all
     */
    default void refreshMaps(String map) {
    }
}
