package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Logout Response (11.15). */
public record LogoutResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn, int time2Wait,
                             int time2Retain) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.LOGOUT_RESPONSE, false, Bhs.FINAL, response, 0, data());
        out.setInt(at + 16, itt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setShort(at + 40, time2Wait);
        out.setShort(at + 42, time2Retain);
    }

    static LogoutResponse decode(ByteBuf bhs, ByteBuf data) {
        data.release();
        return new LogoutResponse(bhs.getUnsignedByte(2), bhs.getInt(16), bhs.getInt(24), bhs.getInt(28),
                bhs.getInt(32), bhs.getUnsignedShort(40), bhs.getUnsignedShort(42));
    }
}
