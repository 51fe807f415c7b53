package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SCSI Data-Out (11.7.1): write data, unsolicited (TTT reserved) or answering an R2T. */
public record DataOut(boolean isFinal, long lun, int itt, int ttt, int expStatSn, int dataSn, int bufferOffset,
                      ByteBuf data) implements Pdu {
    @Override
    public int opcode() {
        return Opcode.DATA_OUT;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.DATA_OUT, false, isFinal ? Bhs.FINAL : 0, 0, 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 28, expStatSn);
        out.setInt(at + 36, dataSn);
        out.setInt(at + 40, bufferOffset);
    }

    static DataOut decode(ByteBuf bhs, ByteBuf data) {
        return new DataOut(Bhs.isFinal(bhs), bhs.getLong(8), bhs.getInt(16), bhs.getInt(20), bhs.getInt(28),
                bhs.getInt(36), bhs.getInt(40), data);
    }
}
