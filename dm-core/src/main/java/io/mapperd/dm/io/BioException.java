package io.mapperd.dm.io;

/** A bio failed; the status tells callers (multipath) whether the path or the data is at fault. */
public final class BioException extends RuntimeException {
    private final BlkStatus status;

    public BioException(BlkStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public BioException(BlkStatus status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public BlkStatus status() {
        return status;
    }

    /** The BlkStatus of any failure: a BioException's own, IOERR for anything else. */
    public static BlkStatus statusOf(Throwable t) {
        Throwable c = t;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof BioException b ? b.status : BlkStatus.IOERR;
    }

    public static BioException of(Throwable t) {
        Throwable c = t;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof BioException b ? b : new BioException(BlkStatus.IOERR, String.valueOf(c.getMessage()), c);
    }
}
