package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * A 64-byte submission queue entry. Fabrics commands keep their fctype in the low byte of
 * {@code nsid} (byte 4), as the spec lays them out. SGL descriptor 1 is {@code sglAddress},
 * {@code sglLength} and {@code sglType} (identifier byte: type in the high nibble, subtype low).
 */
public record Sqe(int opcode, int flags, int cid, int nsid, int cdw2, int cdw3, long mptr,
                  long sglAddress, int sglLength, int sglType,
                  int cdw10, int cdw11, int cdw12, int cdw13, int cdw14, int cdw15) {
    public static final int SIZE = 64;
    /** PSDT = SGL for data, the only form NVMe over Fabrics allows. */
    public static final int FLAG_SGL = 0x40;
    /** Data block descriptor, offset subtype: the data is in the capsule. */
    public static final int SGL_IN_CAPSULE = 0x01;
    /** Transport SGL data block, transport-specific subtype: data moves in C2HData/H2CData PDUs. */
    public static final int SGL_TRANSPORT = 0x5A;

    public static Sqe of(int opcode, int nsid) {
        return new Sqe(opcode, FLAG_SGL, 0, nsid, 0, 0, 0, 0, 0, SGL_TRANSPORT, 0, 0, 0, 0, 0, 0);
    }

    public Sqe withCid(int newCid) {
        return new Sqe(opcode, flags, newCid, nsid, cdw2, cdw3, mptr, sglAddress, sglLength, sglType, cdw10, cdw11, cdw12, cdw13, cdw14, cdw15);
    }

    public Sqe withSgl(int type, long address, int length) {
        return new Sqe(opcode, flags | FLAG_SGL, cid, nsid, cdw2, cdw3, mptr, address, length, type, cdw10, cdw11, cdw12, cdw13, cdw14, cdw15);
    }

    public Sqe withCdw(int c10, int c11, int c12, int c13, int c14, int c15) {
        return new Sqe(opcode, flags, cid, nsid, cdw2, cdw3, mptr, sglAddress, sglLength, sglType, c10, c11, c12, c13, c14, c15);
    }

    public Sqe withCdw10(int c10) {
        return withCdw(c10, cdw11, cdw12, cdw13, cdw14, cdw15);
    }

    public Sqe withCdw11(int c11) {
        return withCdw(cdw10, c11, cdw12, cdw13, cdw14, cdw15);
    }

    /** Fabrics command type (byte 4) when {@code opcode} is 0x7F. */
    public int fctype() {
        return nsid & 0xFF;
    }

    /** Length of data the command moves, from its SGL. */
    public long dataLength() {
        return sglLength & 0xFFFFFFFFL;
    }

    public void write(ByteBuf out) {
        out.writeByte(opcode);
        out.writeByte(flags);
        out.writeShortLE(cid);
        out.writeIntLE(nsid);
        out.writeIntLE(cdw2);
        out.writeIntLE(cdw3);
        out.writeLongLE(mptr);
        out.writeLongLE(sglAddress);
        out.writeIntLE(sglLength);
        out.writeZero(3);
        out.writeByte(sglType);
        out.writeIntLE(cdw10);
        out.writeIntLE(cdw11);
        out.writeIntLE(cdw12);
        out.writeIntLE(cdw13);
        out.writeIntLE(cdw14);
        out.writeIntLE(cdw15);
    }

    public static Sqe read(ByteBuf b, int at) {
        return new Sqe(b.getUnsignedByte(at), b.getUnsignedByte(at + 1), b.getUnsignedShortLE(at + 2), b.getIntLE(at + 4),
                b.getIntLE(at + 8), b.getIntLE(at + 12), b.getLongLE(at + 16), b.getLongLE(at + 24), b.getIntLE(at + 32),
                b.getUnsignedByte(at + 39), b.getIntLE(at + 40), b.getIntLE(at + 44), b.getIntLE(at + 48), b.getIntLE(at + 52),
                b.getIntLE(at + 56), b.getIntLE(at + 60));
    }
}
