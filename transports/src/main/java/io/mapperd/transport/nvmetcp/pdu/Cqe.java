package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * A 16-byte completion queue entry. {@code status} is the raw 16-bit field (phase tag in bit 0);
 * {@link #statusCode()} gives SCT and SC together as the kernel's {@code status >> 1}, masked.
 */
public record Cqe(long result, int sqHead, int sqId, int cid, int status) {
    public static final int SIZE = 16;
    public static final int DNR = 0x4000;

    public static Cqe success(int cid, long result) {
        return new Cqe(result, 0, 0, cid, 0);
    }

    /** A completion with status code type {@code sct} and code {@code sc}, do-not-retry as given. */
    public static Cqe error(int cid, int sctSc, boolean dnr) {
        return new Cqe(0, 0, 0, cid, ((sctSc & 0x7FF) << 1) | (dnr ? DNR << 1 : 0));
    }

    /** SCT (bits 10:8) and SC (bits 7:0). */
    public int statusCode() {
        return (status >>> 1) & 0x7FF;
    }

    public boolean ok() {
        return statusCode() == 0;
    }

    public boolean dnr() {
        return (status & (DNR << 1)) != 0;
    }

    public Cqe withCid(int newCid) {
        return new Cqe(result, sqHead, sqId, newCid, status);
    }

    public Cqe withQid(int qid) {
        return new Cqe(result, sqHead, qid, cid, status);
    }

    public int dw0() {
        return (int) result;
    }

    public void write(ByteBuf out) {
        out.writeLongLE(result);
        out.writeShortLE(sqHead);
        out.writeShortLE(sqId);
        out.writeShortLE(cid);
        out.writeShortLE(status);
    }

    public static Cqe read(ByteBuf b, int at) {
        return new Cqe(b.getLongLE(at), b.getUnsignedShortLE(at + 8), b.getUnsignedShortLE(at + 10), b.getUnsignedShortLE(at + 12),
                b.getUnsignedShortLE(at + 14));
    }
}
