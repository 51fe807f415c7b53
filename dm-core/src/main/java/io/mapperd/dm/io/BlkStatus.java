package io.mapperd.dm.io;

/** Completion status of a failed bio, as the kernel's blk_status_t. */
public enum BlkStatus {
    NOTSUPP("operation not supported"),
    TIMEOUT("timeout"),
    NOSPC("critical space allocation"),
    TRANSPORT("recoverable transport"),
    TARGET("critical target"),
    NEXUS("critical nexus"),
    MEDIUM("critical medium"),
    PROTECTION("protection"),
    RESOURCE("kernel resource"),
    IOERR("I/O"),
    AGAIN("nonblocking retry"),
    OFFLINE("device offline"),
    /** dm-internal: push the bio back to the mapped device to resubmit after resume. */
    DM_REQUEUE("dm internal retry");

    private final String description;

    BlkStatus(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** A failure of the path rather than of the data: multipath retries these elsewhere. */
    public boolean isPathError() {
        return switch (this) {
            case NOTSUPP, NOSPC, TARGET, NEXUS, MEDIUM, PROTECTION -> false;
            default -> true;
        };
    }

    /** The errno a block layer user would see (for NBD replies and logs). */
    public int errno() {
        return switch (this) {
            case NOTSUPP -> 95;      // EOPNOTSUPP
            case TIMEOUT -> 110;     // ETIMEDOUT
            case NOSPC -> 28;        // ENOSPC
            case TRANSPORT -> 107;   // ENOLINK-ish: transport endpoint not connected
            case TARGET -> 121;      // EREMOTEIO
            case NEXUS -> 6;         // ENXIO? kernel uses EBADE; keep EIO-like
            case PROTECTION -> 84;   // EILSEQ
            case RESOURCE -> 12;     // ENOMEM
            case AGAIN -> 11;        // EAGAIN
            case OFFLINE -> 19;      // ENODEV
            default -> 5;            // EIO
        };
    }
}
