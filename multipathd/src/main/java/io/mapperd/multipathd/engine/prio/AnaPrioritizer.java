package io.mapperd.multipathd.engine.prio;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.prioritizers.Prioritizer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * ana for NVMe paths found in sysfs: the namespace's ana_state attribute, with multipath-tools'
 * values (optimized 50, non-optimized 10, inaccessible 5, persistent-loss 1, change 0). Registered
 * beside path-checkers' prioritizers until an ANA prioritizer over NVMe/TCP exists there.
 */
public final class AnaPrioritizer implements Prioritizer {
    @Override
    public String name() {
        return "ana";
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        if (path.sysfsDir().isEmpty()) {
            return PRIO_UNDEF;
        }
        try {
            return switch (Files.readString(path.sysfsDir().get().resolve("ana_state")).strip()) {
                case "optimized" -> 50;
                case "non-optimized" -> 10;
                case "inaccessible" -> 5;
                case "persistent-loss" -> 1;
                default -> 0;
            };
        } catch (IOException e) {
            return PRIO_UNDEF;
        }
    }
}
