package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** VPD page framing, and the small pages 0x00 and 0x80. */
public final class Vpd {
    public static final int SUPPORTED_PAGES = 0x00;
    public static final int UNIT_SERIAL_NUMBER = 0x80;

    private Vpd() {
    }

    /** Checks the 4-byte header and returns the page length, trimmed to the bytes received. */
    static int checkHeader(ByteBuffer b, int page) {
        if (b.remaining() < 4) {
            throw new IllegalArgumentException(String.format("VPD page 0x%02x of %d bytes has no header", page, b.remaining()));
        }
        int p = b.position();
        int code = b.get(p + 1) & 0xff;
        if (code != page) {
            throw new IllegalArgumentException(String.format("asked for VPD page 0x%02x, got 0x%02x", page, code));
        }
        int len = ((b.get(p + 2) & 0xff) << 8) | (b.get(p + 3) & 0xff);
        return Math.min(len, b.remaining() - 4);
    }

    public static List<Integer> supportedPages(ByteBuffer b) {
        int len = checkHeader(b, SUPPORTED_PAGES);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            out.add(b.get(b.position() + 4 + i) & 0xff);
        }
        return out;
    }

    public static String unitSerialNumber(ByteBuffer b) {
        int len = checkHeader(b, UNIT_SERIAL_NUMBER);
        return StandardInquiry.ascii(b, b.position() + 4, len);
    }
}
