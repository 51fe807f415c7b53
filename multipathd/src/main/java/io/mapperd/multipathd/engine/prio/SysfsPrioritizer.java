package io.mapperd.multipathd.engine.prio;

import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;
import io.mapperd.transport.iscsi.scsi.AluaState;

import java.util.concurrent.CompletableFuture;

/**
 * sysfs (and ana for local NVMe paths): the access state the kernel keeps in sysfs: SCSI
 * access_state with preferred_path, NVMe ana_state (optimized 50, non-optimized 10, inaccessible
 * 5, persistent-loss 1, change 0).
 */
final class SysfsPrioritizer implements Prioritizer {
    private final String name;

    SysfsPrioritizer(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Integer> priority(PathInfo info, PathIo io, String args) {
        var ana = io.attribute("ana_state");
        if (ana.isPresent()) {
            return CompletableFuture.completedFuture(switch (ana.get().strip()) {
                case "optimized" -> 50;
                case "non-optimized" -> 10;
                case "inaccessible" -> 5;
                case "persistent-loss" -> 1;
                default -> 0;
            });
        }
        var access = io.attribute("access_state");
        if (access.isEmpty() || name.equals("ana")) {
            return CompletableFuture.failedFuture(new IllegalStateException(info.dev() + ": no "
                    + (name.equals("ana") ? "ana_state" : "access_state") + " in sysfs"));
        }
        boolean preferred = io.attribute("preferred_path").map(s -> s.strip().equals("1")).orElse(false);
        try {
            return CompletableFuture.completedFuture(AluaPrioritizer.of(AluaState.parse(access.get().strip()), preferred, false));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
