package io.mapperd.dm.core.stats;

/** Why a multipath path was failed; a bounded label for the path failure counters. */
public enum PathFailReason {
    /** A path error came back on I/O. */
    IO_ERROR("io_error"),
    /** The fail_path message (the daemon's checker, or an operator). */
    MESSAGE("fail_path"),
    /** The hardware handler's pg_init failed on the path. */
    PG_INIT("pg_init");

    private final String label;

    PathFailReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
