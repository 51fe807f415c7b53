package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Response (11.4). {@code flags} keeps the o/u/O/U residual bits as sent; the data segment holds
 * a 2-byte sense length, the sense data and any response data.
 */
public record ScsiResponse(int flags, int response, int status, int itt, int statSn, int expCmdSn, int maxCmdSn,
                           int expDataSn, int bidiResidual, int residual, ByteBuf data) implements Pdu {
    public static final int RESIDUAL_OVERFLOW = 0x04;
    public static final int RESIDUAL_UNDERFLOW = 0x02;
    public static final int RESPONSE_COMPLETED = 0x00;

    @Override
    public int opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    public boolean underflow() {
        return (flags & RESIDUAL_UNDERFLOW) != 0;
    }

    public boolean overflow() {
        return (flags & RESIDUAL_OVERFLOW) != 0;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int at = Bhs.start(out, Opcode.SCSI_RESPONSE, false, Bhs.FINAL | (flags & 0x1e), response, status, data);
        out.setInt(at + 16, itt);
        out.setInt(at + 24, statSn);
        out.setInt(at + 28, expCmdSn);
        out.setInt(at + 32, maxCmdSn);
        out.setInt(at + 36, expDataSn);
        out.setInt(at + 40, bidiResidual);
        out.setInt(at + 44, residual);
    }

    static ScsiResponse decode(ByteBuf bhs, ByteBuf data) {
        return new ScsiResponse(Bhs.flags(bhs) & 0x1e, bhs.getUnsignedByte(2), bhs.getUnsignedByte(3),
                bhs.getInt(16), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32), bhs.getInt(36), bhs.getInt(40),
                bhs.getInt(44), data);
    }
}
