package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/** One NVMe/TCP PDU. Implementations write their PDU-specific header (bytes 8 to hlen). */
public sealed interface NvmeTcpPdu permits IcReq, IcResp, CapsuleCommand, CapsuleResponse, H2CData, C2HData, R2T, TermReq {
    PduType type();

    /** Flags beyond the digest flags (LAST_PDU, SUCCESS). */
    default int extraFlags() {
        return 0;
    }

    /** Writes bytes 8 (after the common header) up to hlen. */
    void writeHeader(ByteBuf out);
}
