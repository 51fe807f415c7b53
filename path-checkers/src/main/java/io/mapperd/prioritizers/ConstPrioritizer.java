package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;

import java.time.Duration;

/** const: every path has priority 1. */
public final class ConstPrioritizer implements Prioritizer {
    public static final String NAME = "const";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        return 1;
    }
}
