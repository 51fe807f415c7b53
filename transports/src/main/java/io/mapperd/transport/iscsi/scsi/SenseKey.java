package io.mapperd.transport.iscsi.scsi;

/** SPC sense keys. */
public enum SenseKey {
    NO_SENSE, RECOVERED_ERROR, NOT_READY, MEDIUM_ERROR, HARDWARE_ERROR, ILLEGAL_REQUEST, UNIT_ATTENTION,
    DATA_PROTECT, BLANK_CHECK, VENDOR_SPECIFIC, COPY_ABORTED, ABORTED_COMMAND, RESERVED_0C, VOLUME_OVERFLOW,
    MISCOMPARE, COMPLETED;

    public static SenseKey of(int code) {
        return values()[code & 0x0f];
    }

    public int code() {
        return ordinal();
    }

    /** The name as sg3_utils and the kernel print it. */
    public String text() {
        return name().replace('_', ' ');
    }
}
