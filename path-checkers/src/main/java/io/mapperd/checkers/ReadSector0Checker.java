package io.mapperd.checkers;

import io.mapperd.dm.io.Bio;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * readsector0: a READ(10) of block 0 over the path's SCSI transport, as libmultipath/libsg.c's
 * sg_read sends it: GOOD is up; UNIT ATTENTION is retried (three attempts in all); anything else,
 * a transport failure or checker_timeout passing is down. multipath-tools sends it through SG_IO;
 * on a path without a SCSI transport this checker reads the first block through the block device
 * instead, with the same verdicts.
 */
public final class ReadSector0Checker extends AsyncChecker {
    public static final String NAME = "readsector0";
    private static final int ATTEMPTS = 3;

    public ReadSector0Checker(Duration timeout) {
        super(NAME, timeout);
    }

    @Override
    protected CompletableFuture<CheckResult> probe(CheckedPath path) {
        Optional<IscsiLun> lun = path.scsi();
        if (lun.isPresent()) {
            IscsiLun l = lun.get();
            return UnitAttentionRetry.send(l, read10Block0(), () -> ByteBuffer.allocate(l.logicalBlockSize()), ATTEMPTS)
                    .thenApply(r -> r.status() == ScsiStatus.GOOD ? CheckResult.up(NAME) : CheckResult.down(NAME));
        }
        int size = DirectioChecker.blockSize(path.device());
        if (size <= 0) {
            return CompletableFuture.completedFuture(CheckResult.down(NAME));
        }
        return path.device().submit(Bio.read(0, ByteBuffer.allocateDirect(size))).thenApply(v -> CheckResult.up(NAME));
    }

    /** READ(10), LBA 0, one block: sg_read's command. */
    static byte[] read10Block0() {
        byte[] c = new byte[10];
        c[0] = (byte) Cdb.READ_10;
        c[8] = 1;
        return c;
    }

    @Override
    protected CheckResult timedOut() {
        return CheckResult.down(NAME);
    }

    @Override
    protected CheckResult pending() {
        return CheckResult.of(NAME, PathState.PENDING, " is pending");
    }
}
