package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.BlkStatus;

/**
 * NVMe completion statuses (SCT << 8 | SC) with their names, and what they mean to the block
 * layer: which are path failures (multipath retries elsewhere) and which are data or command
 * errors, in the manner of the kernel's nvme_error_status.
 */
public final class NvmeStatus {
    private NvmeStatus() {
    }

    public static final int SUCCESS = 0x000;
    public static final int INVALID_OPCODE = 0x001;
    public static final int INVALID_FIELD = 0x002;
    public static final int CMDID_CONFLICT = 0x003;
    public static final int DATA_XFER_ERROR = 0x004;
    public static final int POWER_LOSS = 0x005;
    public static final int INTERNAL = 0x006;
    public static final int ABORT_REQ = 0x007;
    public static final int ABORT_QUEUE = 0x008;
    public static final int INVALID_NS = 0x00B;
    public static final int CMD_SEQ_ERROR = 0x00C;
    public static final int SGL_INVALID_TYPE = 0x011;
    public static final int TRANSIENT_TR_ERR = 0x022;
    public static final int LBA_RANGE = 0x080;
    public static final int CAP_EXCEEDED = 0x081;
    public static final int NS_NOT_READY = 0x082;
    public static final int RESERVATION_CONFLICT = 0x083;
    public static final int CONNECT_INVALID_PARAM = 0x182;
    public static final int CONNECT_CTRL_BUSY = 0x181;
    public static final int CONNECT_INVALID_HOST = 0x184;
    public static final int WRITE_FAULT = 0x280;
    public static final int READ_ERROR = 0x281;
    public static final int GUARD_CHECK = 0x282;
    public static final int APPTAG_CHECK = 0x283;
    public static final int REFTAG_CHECK = 0x284;
    public static final int COMPARE_FAILED = 0x285;
    public static final int ACCESS_DENIED = 0x286;
    public static final int UNWRITTEN_BLOCK = 0x287;
    public static final int ANA_PERSISTENT_LOSS = 0x301;
    public static final int ANA_INACCESSIBLE = 0x302;
    public static final int ANA_TRANSITION = 0x303;
    public static final int HOST_PATH_ERROR = 0x370;
    public static final int HOST_ABORTED_CMD = 0x371;

    /** The block-layer status for a failed NVMe completion. */
    public static BlkStatus toBlkStatus(int status) {
        return switch (status & 0x7FF) {
            case SUCCESS -> throw new IllegalArgumentException("status 0 is success");
            case INVALID_OPCODE, INVALID_FIELD, INVALID_NS, SGL_INVALID_TYPE -> BlkStatus.NOTSUPP;
            case LBA_RANGE -> BlkStatus.TARGET;
            case CAP_EXCEEDED -> BlkStatus.NOSPC;
            case RESERVATION_CONFLICT -> BlkStatus.NEXUS;
            case WRITE_FAULT, READ_ERROR, UNWRITTEN_BLOCK, ACCESS_DENIED, COMPARE_FAILED -> BlkStatus.MEDIUM;
            case GUARD_CHECK, APPTAG_CHECK, REFTAG_CHECK -> BlkStatus.PROTECTION;
            case ANA_PERSISTENT_LOSS, ANA_INACCESSIBLE, ANA_TRANSITION, HOST_PATH_ERROR, HOST_ABORTED_CMD,
                 TRANSIENT_TR_ERR, ABORT_REQ, ABORT_QUEUE, NS_NOT_READY -> BlkStatus.TRANSPORT;
            default -> BlkStatus.IOERR;
        };
    }

    /** The spec's name for a status, with its value. */
    public static String describe(int status) {
        int s = status & 0x7FF;
        String name = switch (s) {
            case SUCCESS -> "Successful Completion";
            case INVALID_OPCODE -> "Invalid Command Opcode";
            case INVALID_FIELD -> "Invalid Field in Command";
            case CMDID_CONFLICT -> "Command ID Conflict";
            case DATA_XFER_ERROR -> "Data Transfer Error";
            case POWER_LOSS -> "Commands Aborted due to Power Loss Notification";
            case INTERNAL -> "Internal Error";
            case ABORT_REQ -> "Command Abort Requested";
            case ABORT_QUEUE -> "Command Aborted due to SQ Deletion";
            case INVALID_NS -> "Invalid Namespace or Format";
            case CMD_SEQ_ERROR -> "Command Sequence Error";
            case SGL_INVALID_TYPE -> "SGL Descriptor Type Invalid";
            case TRANSIENT_TR_ERR -> "Transient Transport Error";
            case LBA_RANGE -> "LBA Out of Range";
            case CAP_EXCEEDED -> "Capacity Exceeded";
            case NS_NOT_READY -> "Namespace Not Ready";
            case RESERVATION_CONFLICT -> "Reservation Conflict";
            case CONNECT_CTRL_BUSY -> "Connect Controller Busy";
            case CONNECT_INVALID_PARAM -> "Connect Invalid Parameters";
            case CONNECT_INVALID_HOST -> "Connect Invalid Host";
            case WRITE_FAULT -> "Write Fault";
            case READ_ERROR -> "Unrecovered Read Error";
            case GUARD_CHECK -> "End-to-end Guard Check Error";
            case APPTAG_CHECK -> "End-to-end Application Tag Check Error";
            case REFTAG_CHECK -> "End-to-end Reference Tag Check Error";
            case COMPARE_FAILED -> "Compare Failure";
            case ACCESS_DENIED -> "Access Denied";
            case UNWRITTEN_BLOCK -> "Deallocated or Unwritten Logical Block";
            case ANA_PERSISTENT_LOSS -> "Asymmetric Access Persistent Loss";
            case ANA_INACCESSIBLE -> "Asymmetric Access Inaccessible";
            case ANA_TRANSITION -> "Asymmetric Access Transition";
            case HOST_PATH_ERROR -> "Host Pathing Error";
            case HOST_ABORTED_CMD -> "Command Aborted By Host";
            default -> "Unknown Status";
        };
        return String.format("%s (0x%03x)", name, s);
    }
}
