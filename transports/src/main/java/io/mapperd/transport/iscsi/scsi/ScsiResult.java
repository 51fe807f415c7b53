package io.mapperd.transport.iscsi.scsi;

import io.mapperd.dm.io.BioException;

import java.nio.ByteBuffer;

/**
 * A SCSI command's completion: status, sense (null unless CHECK CONDITION with sense data), the
 * residual count, and for data-in commands the bytes received (a view on the caller's buffer).
 */
public record ScsiResult(String command, int status, Sense sense, int residual, ByteBuffer data) {

    public ScsiCondition condition() {
        return ScsiCondition.classify(status, sense);
    }

    public boolean good() {
        return condition() == ScsiCondition.GOOD;
    }

    /** "READ(16): CHECK CONDITION, MEDIUM ERROR asc/ascq 11/00" */
    public String describe() {
        return command + ": " + ScsiStatus.name(status) + (sense != null ? ", " + sense : "");
    }

    /** This result as a bio failure; only for results that are not good. */
    public BioException toBioException(String device) {
        return new BioException(condition().blkStatus(), device + ": " + describe());
    }

    /** The data as a result of the command, or a {@link ScsiCommandException} when it failed. */
    public ByteBuffer dataOrThrow() {
        if (!good()) {
            throw new ScsiCommandException(this);
        }
        return data;
    }
}
