package io.mapperd.multipathd.view;

import java.util.List;

/**
 * The daemon's state as the command language reads it: consistent snapshots of every path
 * (including orphans and blacklisted ones, which multipath-tools lists too) and every map.
 */
public interface TopologySource {
    List<PathView> paths();

    List<MapView> maps();
}
