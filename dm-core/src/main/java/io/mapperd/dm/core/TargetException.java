package io.mapperd.dm.core;

/**
 * A target refused its arguments or a message; the text is the kernel's ti->error and the errno
 * what its constructor returned (EINVAL unless said otherwise; ENODEV when a device lookup failed).
 */
public final class TargetException extends Exception {
    private final int errno;

    public TargetException(String message) {
        this(message, DmException.EINVAL);
    }

    public TargetException(String message, int errno) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
