package io.mapperd.transport.nvmetcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fields of an Identify Controller data structure (CNS 01h) a host needs. {@code serial},
 * {@code model} and {@code firmware} keep their padding as received (ASCII, space-padded).
 */
public record IdentifyController(int vid, int ssvid, String serial, String model, String firmware, int ieee, int cmic,
                                 int mdts, int cntlid, int ver, int oaes, int ctratt, int oacs, int aerl, int lpa,
                                 int kas, int anatt, int anacap, int anagrpmax, int nanagrpid, int sqes, int cqes,
                                 int maxcmd, int nn, int oncs, int vwc, int sgls, String subnqn, int ioccsz,
                                 int iorcsz, int icdoff, int msdbd) {
    public static final int SIZE = 4096;
    /** CMIC bit 3: the controller reports ANA. */
    public static final int CMIC_ANA = 1 << 3;
    /** ONCS bits. */
    public static final int ONCS_DSM = 1 << 2;
    public static final int ONCS_WRITE_ZEROES = 1 << 3;

    public static IdentifyController parse(ByteBuffer buf) {
        if (buf.remaining() < SIZE) {
            throw new IllegalArgumentException("Identify Controller data of " + buf.remaining() + " bytes, expected " + SIZE);
        }
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        return new IdentifyController(u16(b, 0), u16(b, 2), ascii(b, 4, 20), ascii(b, 24, 40), ascii(b, 64, 8),
                (b.get(73) & 0xFF) | (b.get(74) & 0xFF) << 8 | (b.get(75) & 0xFF) << 16, u8(b, 76), u8(b, 77), u16(b, 78),
                b.getInt(80), b.getInt(92), b.getInt(96), u16(b, 256), u8(b, 259), u8(b, 261), u16(b, 320), u8(b, 342),
                u8(b, 343), b.getInt(344), b.getInt(348), u8(b, 512), u8(b, 513), u16(b, 514), b.getInt(516), u16(b, 520),
                u8(b, 525), b.getInt(536), nulTerminated(b, 768, 256), b.getInt(1792), b.getInt(1796), u16(b, 1800), u8(b, 1803));
    }

    public boolean anaReporting() {
        return (cmic & CMIC_ANA) != 0;
    }

    /** The version as "major.minor.tertiary". */
    public String version() {
        return (ver >>> 16) + "." + ((ver >>> 8) & 0xFF) + "." + (ver & 0xFF);
    }

    /** Bytes of in-capsule data an I/O command may carry (IOCCSZ counts 16-byte units including the SQE). */
    public int inCapsuleDataSize() {
        long bytes = (ioccsz & 0xFFFFFFFFL) * 16 - 64;
        return (int) Math.max(0, Math.min(bytes, 1 << 20));
    }

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    static String ascii(ByteBuffer b, int at, int len) {
        byte[] a = new byte[len];
        b.get(at, a);
        return new String(a, StandardCharsets.ISO_8859_1);
    }

    static String nulTerminated(ByteBuffer b, int at, int len) {
        String s = ascii(b, at, len);
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).strip();
    }
}
