package io.mapperd.multipathd.engine.prio;

import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.PathIo;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.TargetPortGroup;

import java.util.concurrent.CompletableFuture;

/**
 * alua: REPORT TARGET PORT GROUPS, the state of the path's own group: active/optimized 50,
 * active/non-optimized 10, lba-dependent 5, standby 1, others 0; a preferred group that is not
 * optimized gets 80 more ("exclusive_pref_bit" as argument: also when optimized).
 */
final class AluaPrioritizer implements Prioritizer {
    @Override
    public String name() {
        return "alua";
    }

    @Override
    public CompletableFuture<Integer> priority(PathInfo info, PathIo io, String args) {
        if (io.scsi().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(info.dev() + ": alua prioritizer needs SCSI"));
        }
        if (info.tpg() < 0) {
            return CompletableFuture.failedFuture(new IllegalStateException(info.dev() + ": no target port group"));
        }
        boolean exclusive = args != null && args.contains("exclusive_pref_bit");
        return io.scsi().get().reportTargetPortGroups().thenApply(groups -> {
            TargetPortGroup g = groups.group(info.tpg()).orElseThrow(() ->
                    new IllegalStateException(info.dev() + ": target port group " + info.tpg() + " not reported"));
            return of(g.state(), g.preferred(), exclusive);
        });
    }

    static int of(AluaState s, boolean preferred, boolean exclusive) {
        int p = switch (s) {
            case ACTIVE_OPTIMIZED -> 50;
            case ACTIVE_NON_OPTIMIZED -> 10;
            case LBA_DEPENDENT -> 5;
            case STANDBY -> 1;
            default -> 0;
        };
        if (preferred && (s != AluaState.ACTIVE_OPTIMIZED || exclusive)) {
            p += 80;
        }
        return p;
    }
}
