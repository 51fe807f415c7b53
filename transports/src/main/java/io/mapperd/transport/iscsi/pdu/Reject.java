package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Reject (11.17): the data segment is the header of the rejected PDU. */
public record Reject(int reason, int statSn, int expCmdSn, int maxCmdSn, int dataSn, ByteBuf data) implements Pdu {
    public static final int DATA_DIGEST_ERROR = 0x02;
    public static final int PROTOCOL_ERROR = 0x04;
    public static final int COMMAND_NOT_SUPPORTED = 0x05;
    public static final int INVALID_PDU_FIELD = 0x09;
    public static final int WAITING_FOR_LOGOUT = 0x0b;

    @Override
    public int opcode() {
        return Opcode.REJECT;
    }

    @Override
    public int itt() {
        return RESERVED_TAG;
    }

    /** The ITT of the rejected PDU, or RESERVED_TAG when the data segment is too short to hold it. */
    public int rejectedItt() {
        return data.readableBytes() >= BHS_LENGTH ? data.getInt(data.readerIndex() + 16) : RESERVED_TAG;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.REJECT, false, Bhs.FINAL, reason, 0, data);
        out.setInt(at + 16, RESERVED_TAG);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setInt(at + 36, dataSn);
    }

    static Reject decode(ByteBuf bhs, ByteBuf data) {
        return new Reject(bhs.getUnsignedByte(2), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32), bhs.getInt(36),
                data);
    }
}
