package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * sysfs: the priority from the ALUA state the kernel's SCSI layer keeps in the SCSI device's sysfs
 * directory, as libmultipath/prioritizers/sysfs.c reads it: {@code access_state}
 * active/optimized 50, active/non-optimized 10, lba-dependent 5, standby 1, else 0; a
 * {@code preferred_path} of 1 adds 80 unless already active/optimized (or always, with
 * {@code exclusive_pref_bit}). No access_state gives {@link Prioritizer#PRIO_UNDEF}; an unreadable
 * or unparsable preferred_path counts as not preferred.
 */
public final class SysfsPrioritizer implements Prioritizer {
    public static final String NAME = "sysfs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int getprio(CheckedPath path, String args, Duration timeout) {
        Optional<Path> dir = path.sysfsDir();
        if (dir.isEmpty()) {
            return PRIO_UNDEF;
        }
        String state;
        try {
            state = Files.readString(dir.get().resolve("access_state")).strip();
        } catch (IOException e) {
            return PRIO_UNDEF;
        }
        int prio = 0;
        if (state.startsWith("active/optimized")) {
            prio = 50;
        } else if (state.startsWith("active/non-optimized")) {
            prio = 10;
        } else if (state.startsWith("lba-dependent")) {
            prio = 5;
        } else if (state.startsWith("standby")) {
            prio = 1;
        }
        if (preferred(dir.get()) && (prio != 50 || ExclusivePrefArg.in(args))) {
            prio += 80;
        }
        return prio;
    }

    private static boolean preferred(Path dir) {
        try {
            String v = Files.readString(dir.resolve("preferred_path")).strip();
            return Long.decode(v) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
