package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-In (11.19): the answer to a ping, or a target's own ping when the TTT is not reserved. */
public record NopIn(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, ByteBuf data)
        implements Pdu {
    @Override
    public int opcode() {
        return Opcode.NOP_IN;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.NOP_IN, false, Bhs.FINAL, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
    }

    static NopIn decode(ByteBuf bhs, ByteBuf data) {
        return new NopIn(bhs.getLong(8), bhs.getInt(16), bhs.getInt(20), bhs.getInt(24), bhs.getInt(28),
                bhs.getInt(32), data);
    }
}
