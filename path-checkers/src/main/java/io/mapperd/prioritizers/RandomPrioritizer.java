package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** random: a priority drawn afresh each time, from 1 to 10. */
public final class RandomPrioritizer implements Prioritizer {
    public static final String NAME = "random";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        return 1 + ThreadLocalRandom.current().nextInt(10);
    }
}
