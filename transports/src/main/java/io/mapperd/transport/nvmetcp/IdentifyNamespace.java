package io.mapperd.transport.nvmetcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The fields of an Identify Namespace data structure (CNS 00h) a host needs. NGUID and EUI-64 are
 * lowercase hex, empty when the controller leaves them zero.
 */
public record IdentifyNamespace(long nsze, long ncap, long nuse, int nsfeat, int flbas, int dps, int nmic, int anagrpid,
                                int nsattr, String nguid, String eui64, List<LbaFormat> lbaFormats) {
    public static final int SIZE = 4096;

    public static IdentifyNamespace parse(ByteBuffer buf) {
        if (buf.remaining() < SIZE) {
            throw new IllegalArgumentException("Identify Namespace data of " + buf.remaining() + " bytes, expected " + SIZE);
        }
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        int nlbaf = b.get(25) & 0xFF;
        List<LbaFormat> formats = new ArrayList<>();
        for (int i = 0; i <= Math.min(nlbaf, 63); i++) {
            int at = 128 + 4 * i;
            formats.add(new LbaFormat(b.getShort(at) & 0xFFFF, b.get(at + 2) & 0xFF, b.get(at + 3) & 0x3));
        }
        return new IdentifyNamespace(b.getLong(0), b.getLong(8), b.getLong(16), b.get(24) & 0xFF, b.get(26) & 0xFF,
                b.get(29) & 0xFF, b.get(30) & 0xFF, b.getInt(92), b.get(99) & 0xFF, hexOrEmpty(b, 104, 16), hexOrEmpty(b, 120, 8),
                List.copyOf(formats));
    }

    /** The LBA format in use (FLBAS bits 3:0, and 6:5 for formats beyond 16). */
    public LbaFormat lbaFormat() {
        int idx = (flbas & 0xF) | ((flbas >>> 5) & 0x3) << 4;
        if (idx >= lbaFormats.size()) {
            throw new IllegalStateException("FLBAS selects LBA format " + idx + " of " + lbaFormats.size());
        }
        return lbaFormats.get(idx);
    }

    public int blockSize() {
        return lbaFormat().blockSize();
    }

    /** True when the namespace has no capacity (an inactive NSID). */
    public boolean inactive() {
        return nsze == 0;
    }

    static String hexOrEmpty(ByteBuffer b, int at, int len) {
        byte[] a = new byte[len];
        b.get(at, a);
        for (byte x : a) {
            if (x != 0) {
                return HexFormat.of().formatHex(a);
            }
        }
        return "";
    }
}
