package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;

import java.time.Duration;

/**
 * A path prioritizer, as a multipath-tools prio plug-in: {@code getprio(path, args)} gives the
 * path's priority (higher is better; group_by_prio groups equal ones), chosen by name from the
 * configuration's prio keyword with prio_args through {@link PrioritizerRegistry}. Prioritizers
 * that send commands wait at most {@code timeout} for each (multipath-tools uses checker_timeout);
 * call them from a thread that may block (a virtual thread), never from an event loop.
 */
public interface Prioritizer {
    /** multipath-tools' PRIO_UNDEF: no priority could be had. */
    int PRIO_UNDEF = -1;

    String name();

    /** The priority of the path; negative values are the prioritizer's failure codes. */
    int getprio(CheckedPath path, String args, Duration timeout);

    default int getprio(CheckedPath path, String args) {
        return getprio(path, args, Duration.ofSeconds(30));
    }
}
