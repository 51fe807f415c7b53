package io.mapperd.multipathd.engine.path;

/** A path as one scan found it: what it is and how to reach it. */
public record DiscoveredPath(PathInfo info, PathIo io) {
}
