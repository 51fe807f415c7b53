package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/** A response capsule: the 16-byte completion queue entry. */
public record CapsuleResponse(Cqe cqe) implements NvmeTcpPdu {
    @Override
    public PduType type() {
        return PduType.CAPSULE_RESP;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        cqe.write(out);
    }

    static CapsuleResponse read(ByteBuf b, int at) {
        return new CapsuleResponse(Cqe.read(b, at + PduType.CH_LEN));
    }
}
