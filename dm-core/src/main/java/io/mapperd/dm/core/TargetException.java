package io.mapperd.dm.core;

/**
 * A target refused its arguments or a message; the text is the kernel's ti->error (or its log
 * line for a message), the errno what the ioctl returns (EINVAL unless said otherwise).
 */
public final class TargetException extends Exception {
    private final int errno;

    public TargetException(String message) {
        this(DmException.EINVAL, message);
    }

    public TargetException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
