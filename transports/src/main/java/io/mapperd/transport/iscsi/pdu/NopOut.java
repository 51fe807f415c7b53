package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-Out (11.18): a ping from the initiator, or the answer to a target's NOP-In. */
public record NopOut(boolean immediate, long lun, int itt, int ttt, int cmdSn, int expStatSn, ByteBuf data)
        implements Pdu {
    @Override
    public int opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.NOP_OUT, immediate, Bhs.FINAL, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, cmdSn);
        out.setInt(at + 28, expStatSn);
    }

    static NopOut decode(ByteBuf bhs, ByteBuf data) {
        return new NopOut(Bhs.immediate(bhs), bhs.getLong(8), bhs.getInt(16), bhs.getInt(20), bhs.getInt(24),
                bhs.getInt(28), data);
    }
}
