package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;

/**
 * H2CTermReq or C2HTermReq: a fatal transport error; the sender closes the connection after it.
 * {@code fes} is the fatal error status, {@code fei} the error information (the offending field's
 * offset for header errors), {@code data} the start of the offending PDU.
 */
public record TermReq(boolean fromHost, int fes, long fei, ByteBuf data) implements NvmeTcpPdu, DataPdu {
    public static final int FES_INVALID_HEADER_FIELD = 0x01;
    public static final int FES_PDU_SEQUENCE_ERROR = 0x02;
    public static final int FES_HEADER_DIGEST_ERROR = 0x03;
    public static final int FES_DATA_OUT_OF_RANGE = 0x04;
    public static final int FES_R2T_LIMIT_EXCEEDED = 0x05;
    public static final int FES_DATA_LIMIT_EXCEEDED = 0x05;
    public static final int FES_UNSUPPORTED_PARAMETER = 0x06;
    /** The most of the offending PDU a TermReq carries: its header (and digest) for C2H, 128 bytes for H2C. */
    public static final int MAX_H2C_DATA = 128;
    public static final int MAX_C2H_DATA = 152;

    @Override
    public PduType type() {
        return fromHost ? PduType.H2C_TERM_REQ : PduType.C2H_TERM_REQ;
    }

    @Override
    public void writeHeader(ByteBuf out) {
        out.writeShortLE(fes);
        out.writeIntLE((int) fei);
        out.writeZero(10);
    }

    static TermReq read(PduType type, ByteBuf b, int at, ByteBuf data) {
        return new TermReq(type == PduType.H2C_TERM_REQ, b.getUnsignedShortLE(at + 8), b.getUnsignedIntLE(at + 10), data);
    }

    /** The fatal error status in the spec's words. */
    public static String describe(int fes) {
        return switch (fes) {
            case FES_INVALID_HEADER_FIELD -> "invalid PDU header field";
            case FES_PDU_SEQUENCE_ERROR -> "PDU sequence error";
            case FES_HEADER_DIGEST_ERROR -> "header digest error";
            case FES_DATA_OUT_OF_RANGE -> "data transfer out of range";
            case FES_DATA_LIMIT_EXCEEDED -> "data transfer limit exceeded";
            case FES_UNSUPPORTED_PARAMETER -> "unsupported parameter";
            default -> "fatal error status 0x" + Integer.toHexString(fes);
        };
    }
}
