package io.mapperd.multipathd.engine.check;

import io.mapperd.multipathd.engine.PathState;
import io.mapperd.multipathd.engine.path.PathIo;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;

import java.util.concurrent.CompletableFuture;

/** tur: TEST UNIT READY; a standby port is a ghost, a transport or device failure is down. */
final class TurChecker implements PathChecker {
    @Override
    public String name() {
        return "tur";
    }

    @Override
    public CompletableFuture<CheckResult> check(PathIo path) {
        if (path.scsi().isEmpty()) {
            return CompletableFuture.completedFuture(new CheckResult(PathState.DOWN, "tur checker: not a SCSI path we drive"));
        }
        return path.scsi().get().testUnitReady().handle((r, e) -> {
            if (e != null) {
                return new CheckResult(PathState.DOWN, "tur checker reports path is down: " + Checkers.rootMessage(e));
            }
            ScsiCondition c = r.condition();
            return switch (c) {
                case GOOD, UNIT_ATTENTION -> new CheckResult(PathState.UP, "tur checker reports path is up");
                case ALUA_STANDBY -> new CheckResult(PathState.GHOST, "tur checker reports path is in standby state");
                case ALUA_TRANSITIONING, BUSY -> new CheckResult(PathState.PENDING, "tur checker: " + r.describe());
                default -> new CheckResult(PathState.DOWN, "tur checker reports path is down: " + r.describe());
            };
        });
    }
}
