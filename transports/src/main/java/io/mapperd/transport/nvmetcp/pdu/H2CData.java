package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/** Host-to-controller data answering an R2T: {@code data} goes at offset {@code datao} of the command's transfer. */
public record H2CData(int cccid, int ttag, long datao, boolean last, ByteBuf data) implements NvmeTcpPdu, DataPdu {
    @Override
    public PduType type() {
        return PduType.H2C_DATA;
    }

    @Override
    public int extraFlags() {
        return last ? PduType.FLAG_LAST_PDU : 0;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(cccid);
        out.writeShortLE(ttag);
        out.writeIntLE((int) datao);
        out.writeIntLE(data.readableBytes());
        out.writeZero(4);
    }

    static H2CData read(ByteBuf b, int at, int flags, ByteBuf data) {
        return new H2CData(b.getUnsignedShortLE(at + 8), b.getUnsignedShortLE(at + 10), b.getUnsignedIntLE(at + 12),
                (flags & PduType.FLAG_LAST_PDU) != 0, data);
    }
}
