package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Initialize Connection Response: the controller's data alignment {@code cpda} (0's based, dwords),
 * the digests it accepted and the largest H2CData payload it takes.
 */
public record IcResp(int pfv, int cpda, boolean headerDigest, boolean dataDigest, long maxH2cData) implements NvmeTcpPdu {
    @Override
    public PduType type() {
        return PduType.IC_RESP;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(pfv);
        out.writeByte(cpda);
        out.writeByte((headerDigest ? 1 : 0) | (dataDigest ? 2 : 0));
        out.writeIntLE((int) maxH2cData);
        out.writeZero(PduType.IC_RESP.hlen() - 16);
    }

    static IcResp read(ByteBuf b, int at) {
        int dgst = b.getUnsignedByte(at + 11);
        return new IcResp(b.getUnsignedShortLE(at + 8), b.getUnsignedByte(at + 10), (dgst & 1) != 0, (dgst & 2) != 0, b.getUnsignedIntLE(at + 12));
    }
}
