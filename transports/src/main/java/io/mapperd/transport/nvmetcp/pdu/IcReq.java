package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Initialize Connection Request: the host's first PDU. {@code hpda} is the host's data alignment
 * (0's based, in dwords), {@code maxr2t} the 0's based count of R2Ts it takes per command.
 */
public record IcReq(int pfv, int hpda, boolean headerDigest, boolean dataDigest, int maxr2t) implements NvmeTcpPdu {
    @Override
    public PduType type() {
        return PduType.IC_REQ;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(pfv);
        out.writeByte(hpda);
        out.writeByte((headerDigest ? 1 : 0) | (dataDigest ? 2 : 0));
        out.writeIntLE(maxr2t);
        out.writeZero(PduType.IC_REQ.hlen() - 16);
    }

    static IcReq read(ByteBuf b, int at) {
        int dgst = b.getUnsignedByte(at + 11);
        return new IcReq(b.getUnsignedShortLE(at + 8), b.getUnsignedByte(at + 10), (dgst & 1) != 0, (dgst & 2) != 0, b.getIntLE(at + 12));
    }
}
