package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Request (11.10): key=value pairs, e.g. SendTargets=All in a discovery session. */
public record TextRequest(boolean immediate, boolean isFinal, boolean cont, long lun, int itt, int ttt, int cmdSn,
                          int expStatSn, ByteBuf data) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (isFinal ? 0x80 : 0) | (cont ? 0x40 : 0);
        int at = Bhs.start(out, Opcode.TEXT_REQUEST, immediate, flags, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
    }

    static TextRequest decode(ByteBuf bhs, ByteBuf data) {
        int f = Bhs.flags(bhs);
        return new TextRequest(Bhs.immediate(bhs), (f & 0x80) != 0, (f & 0x40) != 0, bhs.getLong(8), bhs.getInt(16),
                bhs.getInt(20), bhs.getInt(24), bhs.getInt(28), data);
    }
}
