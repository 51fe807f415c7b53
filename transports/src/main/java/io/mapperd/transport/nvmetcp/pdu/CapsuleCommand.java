package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A command capsule: the 64-byte submission queue entry and any in-capsule data. */
public record CapsuleCommand(Sqe sqe, ByteBuf data) implements NvmeTcpPdu, DataPdu {
    public CapsuleCommand(Sqe sqe) {
        this(sqe, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public PduType type() {
        return PduType.CAPSULE_CMD;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        sqe.write(out);
    }

    static CapsuleCommand read(ByteBuf b, int at, ByteBuf data) {
        return new CapsuleCommand(Sqe.read(b, at + PduType.CH_LEN), data);
    }
}
