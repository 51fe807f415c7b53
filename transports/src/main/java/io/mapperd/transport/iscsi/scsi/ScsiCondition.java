package io.mapperd.transport.iscsi.scsi;

import io.mapperd.dm.io.BlkStatus;

/**
 * What a SCSI completion means to the layers above: checkers map these to path states, the
 * multipath target to retry-elsewhere (a path error) or fail-up (a data error).
 */
public enum ScsiCondition {
    GOOD(null),
    UNIT_ATTENTION(BlkStatus.AGAIN),
    NOT_READY(BlkStatus.IOERR),
    /** NOT READY 04/0A: asymmetric access state transition. */
    ALUA_TRANSITIONING(BlkStatus.AGAIN),
    /** NOT READY 04/0B: target port in standby state. */
    ALUA_STANDBY(BlkStatus.TRANSPORT),
    /** NOT READY 04/0C: target port in unavailable state. */
    ALUA_UNAVAILABLE(BlkStatus.TRANSPORT),
    MEDIUM_ERROR(BlkStatus.MEDIUM),
    HARDWARE_ERROR(BlkStatus.TARGET),
    ILLEGAL_REQUEST(BlkStatus.TARGET),
    /** ILLEGAL REQUEST 20/00: the command is not supported. */
    INVALID_OPCODE(BlkStatus.NOTSUPP),
    DATA_PROTECT(BlkStatus.TARGET),
    ABORTED_COMMAND(BlkStatus.TRANSPORT),
    MISCOMPARE(BlkStatus.MEDIUM),
    RESERVATION_CONFLICT(BlkStatus.NEXUS),
    BUSY(BlkStatus.AGAIN),
    TASK_ABORTED(BlkStatus.TRANSPORT),
    OTHER(BlkStatus.IOERR);

    private final BlkStatus status;

    ScsiCondition(BlkStatus status) {
        this.status = status;
    }

    /** The bio status for this condition; null for GOOD. */
    public BlkStatus blkStatus() {
        return status;
    }

    public boolean isPathError() {
        return status != null && status.isPathError();
    }

    public static ScsiCondition classify(int status, Sense sense) {
        switch (status) {
            case ScsiStatus.GOOD, ScsiStatus.CONDITION_MET -> {
                return GOOD;
            }
            case ScsiStatus.BUSY, ScsiStatus.TASK_SET_FULL, ScsiStatus.ACA_ACTIVE -> {
                return BUSY;
            }
            case ScsiStatus.RESERVATION_CONFLICT -> {
                return RESERVATION_CONFLICT;
            }
            case ScsiStatus.TASK_ABORTED -> {
                return TASK_ABORTED;
            }
            case ScsiStatus.CHECK_CONDITION -> {
                return sense == null ? OTHER : fromSense(sense);
            }
            default -> {
                return OTHER;
            }
        }
    }

    public static ScsiCondition fromSense(Sense s) {
        return switch (s.key()) {
            case NO_SENSE, RECOVERED_ERROR, COMPLETED -> GOOD;
            case NOT_READY -> s.asc() == 0x04 && s.ascq() == 0x0a ? ALUA_TRANSITIONING
                    : s.asc() == 0x04 && s.ascq() == 0x0b ? ALUA_STANDBY
                    : s.asc() == 0x04 && s.ascq() == 0x0c ? ALUA_UNAVAILABLE
                    : NOT_READY;
            case MEDIUM_ERROR -> MEDIUM_ERROR;
            case HARDWARE_ERROR -> HARDWARE_ERROR;
            case ILLEGAL_REQUEST -> s.asc() == 0x20 && s.ascq() == 0x00 ? INVALID_OPCODE : ILLEGAL_REQUEST;
            case UNIT_ATTENTION -> UNIT_ATTENTION;
            case DATA_PROTECT -> DATA_PROTECT;
            case ABORTED_COMMAND -> ABORTED_COMMAND;
            case MISCOMPARE -> MISCOMPARE;
            default -> OTHER;
        };
    }
}
