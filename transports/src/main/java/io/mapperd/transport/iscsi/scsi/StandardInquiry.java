package io.mapperd.transport.iscsi.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Standard INQUIRY data (SPC-4 6.6.2), the fields multipath and iscsi-inq print. */
public record StandardInquiry(int peripheralQualifier, int deviceType, boolean removable, int version,
                              int responseDataFormat, int tpgs, boolean protect, boolean cmdque,
                              String vendor, String product, String revision) {

    public static StandardInquiry decode(ByteBuffer b) {
        int p = b.position();
        int n = b.remaining();
        if (n < 36) {
            throw new IllegalArgumentException("standard INQUIRY data of " + n + " bytes, need 36");
        }
        int b0 = b.get(p) & 0xff;
        return new StandardInquiry(b0 >>> 5, b0 & 0x1f, (b.get(p + 1) & 0x80) != 0, b.get(p + 2) & 0xff,
                b.get(p + 3) & 0x0f, (b.get(p + 5) >>> 4) & 3, (b.get(p + 5) & 1) != 0, (b.get(p + 7) & 2) != 0,
                ascii(b, p + 8, 8), ascii(b, p + 16, 16), ascii(b, p + 32, 4));
    }

    static String ascii(ByteBuffer b, int at, int len) {
        byte[] s = new byte[len];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII).trim();
    }

    /** TPGS as multipath prints it: 0 none, 1 implicit, 2 explicit, 3 both. */
    public boolean alua() {
        return tpgs != 0;
    }
}
