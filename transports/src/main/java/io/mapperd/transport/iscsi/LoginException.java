package io.mapperd.transport.iscsi;

import java.io.IOException;

/** A login the target refused or that broke off; status class and detail as RFC 7143 11.13.5. */
public final class LoginException extends IOException {
    private final int statusClass;
    private final int statusDetail;

    public LoginException(String message) {
        this(message, -1, -1);
    }

    public LoginException(String message, int statusClass, int statusDetail) {
        super(message);
        this.statusClass = statusClass;
        this.statusDetail = statusDetail;
    }

    public int statusClass() {
        return statusClass;
    }

    public int statusDetail() {
        return statusDetail;
    }

    /** A refusal the same login will meet again (authentication, no such target): not worth retrying. */
    public boolean permanent() {
        return statusClass == 2;
    }

    public static String describe(int cls, int detail) {
        int code = (cls << 8) | detail;
        return switch (code) {
            case 0x0101 -> "target moved temporarily";
            case 0x0102 -> "target moved permanently";
            case 0x0200 -> "initiator error";
            case 0x0201 -> "authentication failure";
            case 0x0202 -> "authorization failure";
            case 0x0203 -> "target not found";
            case 0x0204 -> "target removed";
            case 0x0205 -> "unsupported version";
            case 0x0206 -> "too many connections";
            case 0x0207 -> "missing parameter";
            case 0x0208 -> "can't include in session";
            case 0x0209 -> "session type not supported";
            case 0x020a -> "session does not exist";
            case 0x020b -> "invalid during login";
            case 0x0300 -> "target error";
            case 0x0301 -> "service unavailable";
            case 0x0302 -> "out of resources";
            default -> String.format("status %02x/%02x", cls, detail);
        };
    }
}
