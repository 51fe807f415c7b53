package io.mapperd.checkers;

import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.mapperd.transport.iscsi.scsi.SenseKey;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * tur: TEST UNIT READY over the path's SCSI transport, judged as libmultipath/checkers/tur.c
 * judges it: GOOD or RESERVATION CONFLICT is up; UNIT ATTENTION is retried (five attempts in all);
 * NOT READY 04/0B (target port in standby) is ghost, 04/0A (ALUA transition) is pending; ILLEGAL
 * REQUEST 25/00 (LUN no longer mapped) is disconnected; any other failure, or a transport that
 * gives up, is down; no answer within checker_timeout is timeout. A path without a SCSI transport
 * is wild ("doesn't support this device"), as SG_IO's ENOTTY makes it.
 */
public final class TurChecker extends AsyncChecker {
    public static final String NAME = "tur";
    private static final int ATTEMPTS = 5;

    public TurChecker(Duration timeout) {
        super(NAME, timeout);
    }

    @Override
    protected CompletableFuture<CheckResult> probe(CheckedPath path) {
        Optional<IscsiLun> lun = path.scsi();
        if (lun.isEmpty()) {
            return CompletableFuture.completedFuture(CheckResult.of(NAME, PathState.WILD, " doesn't support this device"));
        }
        return UnitAttentionRetry.send(lun.get(), Cdb.testUnitReady(), () -> null, ATTEMPTS).thenApply(TurChecker::judge);
    }

    /** tur_check()'s verdict on one completed TEST UNIT READY. */
    static CheckResult judge(ScsiResult r) {
        if (r.status() == ScsiStatus.GOOD || r.status() == ScsiStatus.CONDITION_MET
                || r.status() == ScsiStatus.RESERVATION_CONFLICT) {
            return CheckResult.up(NAME);
        }
        Sense s = r.sense();
        if (r.status() == ScsiStatus.CHECK_CONDITION && s != null) {
            if (s.key() == SenseKey.NOT_READY && s.asc() == 0x04 && s.ascq() == 0x0b) {
                return CheckResult.ghost(NAME);
            }
            if (s.key() == SenseKey.NOT_READY && s.asc() == 0x04 && s.ascq() == 0x0a) {
                return CheckResult.of(NAME, PathState.PENDING, " reports path is transitioning");
            }
            if (s.key() == SenseKey.ILLEGAL_REQUEST && s.asc() == 0x25 && s.ascq() == 0x00) {
                return CheckResult.of(NAME, PathState.DISCONNECTED, " no access to this device");
            }
        }
        return CheckResult.down(NAME);
    }

    @Override
    protected CheckResult timedOut() {
        return CheckResult.of(NAME, PathState.TIMEOUT, " timed out");
    }

    @Override
    protected CheckResult pending() {
        return CheckResult.of(NAME, PathState.PENDING, " still running");
    }
}
