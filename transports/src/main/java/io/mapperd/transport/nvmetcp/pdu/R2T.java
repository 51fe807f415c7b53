package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/** Ready to Transfer: the controller asks for {@code r2tl} bytes at offset {@code r2to} of a write's data. */
public record R2T(int cccid, int ttag, long r2to, long r2tl) implements NvmeTcpPdu {
    @Override
    public PduType type() {
        return PduType.R2T;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(cccid);
        out.writeShortLE(ttag);
        out.writeIntLE((int) r2to);
        out.writeIntLE((int) r2tl);
        out.writeZero(4);
    }

    static R2T read(ByteBuf b, int at) {
        return new R2T(b.getUnsignedShortLE(at + 8), b.getUnsignedShortLE(at + 10), b.getUnsignedIntLE(at + 12), b.getUnsignedIntLE(at + 16));
    }
}
