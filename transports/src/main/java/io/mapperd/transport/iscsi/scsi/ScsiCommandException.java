package io.mapperd.transport.iscsi.scsi;

/** A probe's SCSI command completed with a status its caller cannot use; the result is attached. */
public final class ScsiCommandException extends RuntimeException {
    private final transient ScsiResult result;

    public ScsiCommandException(ScsiResult result) {
        super(result.describe(), null, false, false);
        this.result = result;
    }

    public ScsiResult result() {
        return result;
    }

    public ScsiCondition condition() {
        return result.condition();
    }
}
