package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Asynchronous Message (11.9): SCSI events (sense in the data segment) and logout requests. */
public record AsyncMessage(long lun, int statSn, int expCmdSn, int maxCmdSn, int asyncEvent, int asyncVCode,
                           int parameter1, int parameter2, int parameter3, ByteBuf data) implements Pdu {
    public static final int SCSI_EVENT = 0;
    public static final int LOGOUT_REQUEST = 1;
    public static final int CONNECTION_DROP = 2;
    public static final int SESSION_DROP = 3;
    public static final int NEGOTIATION_REQUEST = 4;

    @Override
    public int opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public int itt() {
        return RESERVED_TAG;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.ASYNC_MESSAGE, false, Bhs.FINAL, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, RESERVED_TAG);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setByte(at + 36, asyncEvent);
        out.setByte(at + 37, asyncVCode);
        out.setShort(at + 38, parameter1);
        out.setShort(at + 40, parameter2);
        out.setShort(at + 42, parameter3);
    }

    static AsyncMessage decode(ByteBuf bhs, ByteBuf data) {
        return new AsyncMessage(bhs.getLong(8), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32),
                bhs.getUnsignedByte(36), bhs.getUnsignedByte(37), bhs.getUnsignedShort(38), bhs.getUnsignedShort(40),
                bhs.getUnsignedShort(42), data);
    }
}
