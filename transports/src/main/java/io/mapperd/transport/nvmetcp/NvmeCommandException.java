package io.mapperd.transport.nvmetcp;

/** An NVMe command completed with an error status. */
public final class NvmeCommandException extends RuntimeException {
    private final int status;

    public NvmeCommandException(String command, int status) {
        super(command + " failed: " + NvmeStatus.describe(status), null, false, false);
        this.status = status & 0x7FF;
    }

    /** SCT << 8 | SC. */
    public int status() {
        return status;
    }
}
