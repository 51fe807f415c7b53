package io.mapperd.multipathd.engine.prio;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.prioritizers.Prioritizer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * ana: the ANA state of the path's namespace group, with multipath-tools' values (optimized 50,
 * non-optimized 10, inaccessible 5, persistent-loss 1, change 0): the ANA log page read afresh
 * through our NVMe/TCP controller, or the ana_state attribute of an NVMe path found in sysfs.
 * Beside path-checkers' prioritizers until an ANA prioritizer exists there.
 */
public final class AnaPrioritizer implements Prioritizer {
    @Override
    public String name() {
        return "ana";
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        if (path.device() instanceof io.mapperd.transport.nvmetcp.NvmeNamespace ns) {
            try {
                return ns.controller().readAnaLog().group(ns.anaGroupId())
                        .map(g -> value(g.state().label())).orElse(PRIO_UNDEF);
            } catch (IOException | RuntimeException e) {
                return PRIO_UNDEF;
            }
        }
        if (path.sysfsDir().isEmpty()) {
            return PRIO_UNDEF;
        }
        try {
            return value(Files.readString(path.sysfsDir().get().resolve("ana_state")).strip());
        } catch (IOException e) {
            return PRIO_UNDEF;
        }
    }

    static int value(String state) {
        return switch (state) {
            case "optimized" -> 50;
            case "non-optimized" -> 10;
            case "inaccessible" -> 5;
            case "persistent-loss" -> 1;
            default -> 0;
        };
    }
}
