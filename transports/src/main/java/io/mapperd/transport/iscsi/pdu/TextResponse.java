package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Response (11.11). */
public record TextResponse(boolean isFinal, boolean cont, long lun, int itt, int ttt, int statSn, int expCmdSn,
                           int maxCmdSn, ByteBuf data) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (isFinal ? 0x80 : 0) | (cont ? 0x40 : 0);
        int at = Bhs.start(out, Opcode.TEXT_RESPONSE, false, flags, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
    }

    static TextResponse decode(ByteBuf bhs, ByteBuf data) {
        int f = Bhs.flags(bhs);
        return new TextResponse((f & 0x80) != 0, (f & 0x40) != 0, bhs.getLong(8), bhs.getInt(16), bhs.getInt(20),
                bhs.getInt(24), bhs.getInt(28), bhs.getInt(32), data);
    }
}
