package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Ready To Transfer (11.8): the target asks for {@code desiredLength} bytes from {@code bufferOffset}. */
public record R2t(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, int r2tSn, int bufferOffset,
                  int desiredLength) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.R2T;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.R2T, false, Bhs.FINAL, 0, 0, data());
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setInt(at + 36, r2tSn);
        out.setInt(at + 40, bufferOffset);
        out.setInt(at + 44, desiredLength);
    }

    static R2t decode(ByteBuf bhs, ByteBuf data) {
        data.release();
        return new R2t(bhs.getLong(8), bhs.getInt(16), bhs.getInt(20), bhs.getInt(24), bhs.getInt(28),
                bhs.getInt(32), bhs.getInt(36), bhs.getInt(40), bhs.getInt(44));
    }
}
