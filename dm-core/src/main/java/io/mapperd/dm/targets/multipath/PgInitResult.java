package io.mapperd.dm.targets.multipath;

/**
 * What a hardware handler's pg_init came to, as the kernel's SCSI_DH_* codes (the numbers are
 * the kernel's, for log lines). The multipath target reacts as dm-mpath's pg_init_done does.
 */
public enum PgInitResult {
    OK(0),
    DEV_FAILED(1),
    /** The controller is busy (firmware upgrade...): bypass this group for now. */
    DEV_TEMP_BUSY(2),
    DEV_UNSUPP(3),
    DEVSCAN_FAILED(4),
    DEV_OFFLINED(5),
    NOTCONN(11),
    CONN_FAILURE(12),
    TRANSPORT(13),
    IO(21),
    /** Retry at once, up to pg_init_retries. */
    RES_TEMP_UNAVAIL(22),
    /** Retry after pg_init_delay_msecs, up to pg_init_retries. */
    RETRY(23),
    IMM_RETRY(24),
    TIMED_OUT(25),
    NOMEM(26),
    /** The handler cannot do this; with no handler configured it counts as success. */
    NOSYS(27);

    private final int code;

    PgInitResult(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
