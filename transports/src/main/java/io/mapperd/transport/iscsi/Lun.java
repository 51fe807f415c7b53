package io.mapperd.transport.iscsi;

/** LUN numbers in the 8-byte SAM LUN field: peripheral addressing below 256, flat space above. */
public final class Lun {
    private Lun() {
    }

    public static long encode(int lun) {
        if (lun < 0 || lun > 0x3fff) {
            throw new IllegalArgumentException("LUN " + lun + " out of range 0-16383");
        }
        if (lun < 256) {
            return (long) lun << 48;
        }
        return ((long) (0x40 | (lun >>> 8)) << 56) | ((long) (lun & 0xff) << 48);
    }

    public static int decode(long field) {
        int hi = (int) (field >>> 48) & 0xffff;
        return hi & 0x3fff;
    }
}
