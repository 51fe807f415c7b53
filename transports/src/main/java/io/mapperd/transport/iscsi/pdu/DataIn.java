package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SCSI Data-In (11.7.2): read data, possibly with the command's status (S bit). */
public record DataIn(int flags, int status, long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn,
                     int dataSn, int bufferOffset, int residual, ByteBuf data) implements Pdu {
    public static final int FINAL = 0x80;
    public static final int ACK = 0x40;
    public static final int OVERFLOW = 0x04;
    public static final int UNDERFLOW = 0x02;
    public static final int STATUS = 0x01;

    @Override
    public int opcode() {
        return Opcode.DATA_IN;
    }

    public boolean isFinal() {
        return (flags & FINAL) != 0;
    }

    public boolean hasStatus() {
        return (flags & STATUS) != 0;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.DATA_IN, false, flags & 0xc7, 0, hasStatus() ? status : 0, data);
        out.setLong(at + 8, lun);
        out.setInt(at + 16, itt);
        out.setInt(at + 20, ttt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setInt(at + 36, dataSn);
        out.setInt(at + 40, bufferOffset);
        out.setInt(at + 44, residual);
    }

    static DataIn decode(ByteBuf bhs, ByteBuf data) {
        return new DataIn(Bhs.flags(bhs) & 0xc7, bhs.getUnsignedByte(3), bhs.getLong(8), bhs.getInt(16),
                bhs.getInt(20), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32), bhs.getInt(36), bhs.getInt(40),
                bhs.getInt(44), data);
    }
}
