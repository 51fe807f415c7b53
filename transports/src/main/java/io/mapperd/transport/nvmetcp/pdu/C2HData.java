package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Controller-to-host data for a read: {@code data} belongs at offset {@code datao} of the command's
 * transfer. With {@code success} on the last PDU no response capsule follows.
 */
public record C2HData(int cccid, long datao, boolean last, boolean success, ByteBuf data) implements NvmeTcpPdu, DataPdu {
    @Override
    public PduType type() {
        return PduType.C2H_DATA;
    }

    @Override
    public int extraFlags() {
        return (last ? PduType.FLAG_LAST_PDU : 0) | (success ? PduType.FLAG_SUCCESS : 0);
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(cccid);
        out.writeZero(2);
        out.writeIntLE((int) datao);
        out.writeIntLE(data.readableBytes());
        out.writeZero(4);
    }

    static C2HData read(ByteBuf b, int at, int flags, ByteBuf data) {
        return new C2HData(b.getUnsignedShortLE(at + 8), b.getUnsignedIntLE(at + 12),
                (flags & PduType.FLAG_LAST_PDU) != 0, (flags & PduType.FLAG_SUCCESS) != 0, data);
    }
}
