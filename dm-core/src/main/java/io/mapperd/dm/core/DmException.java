package io.mapperd.dm.core;

/**
 * A device-mapper operation failed. Carries the errno the kernel's ioctl would return, so dmsetup
 * can print "Device or resource busy" and exit as the real one does, and a detail naming the cause
 * (what the kernel writes to its log).
 */
public final class DmException extends Exception {
    public static final int ENOENT = 2;
    public static final int ENXIO = 6;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EPERM = 1;
    public static final int ENOTTY = 25;

    private final int errno;

    public DmException(int errno, String detail) {
        super(detail, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** strerror(errno) as glibc words it, for the errnos device-mapper returns. */
    public String strerror() {
        return strerror(errno);
    }

    public static String strerror(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ENXIO -> "No such device or address";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            case ENOTTY -> "Inappropriate ioctl for device";
            default -> "Unknown error " + errno;
        };
    }
}
