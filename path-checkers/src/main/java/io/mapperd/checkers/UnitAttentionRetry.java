package io.mapperd.checkers;

import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.ScsiStatus;
import io.mapperd.transport.iscsi.scsi.SenseKey;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How the SCSI checkers send their command (libmultipath's tur and sg_read loops): a completion
 * with CHECK CONDITION and UNIT ATTENTION sends it again, up to a number of attempts in all; the
 * last completion, whatever it is, is the one judged.
 */
final class UnitAttentionRetry {
    private UnitAttentionRetry() {
    }

    /** Sends {@code cdb} with a fresh data-in buffer from {@code in} (which may give null) each attempt. */
    static CompletableFuture<ScsiResult> send(IscsiLun lun, byte[] cdb, Supplier<ByteBuffer> in, int attempts) {
        return lun.command(cdb, in.get(), null).thenCompose(r -> {
            if (unitAttention(r) && attempts > 1) {
                return send(lun, cdb, in, attempts - 1);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    private static boolean unitAttention(ScsiResult r) {
        return r.status() == ScsiStatus.CHECK_CONDITION && r.sense() != null && r.sense().key() == SenseKey.UNIT_ATTENTION;
    }
}
