package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits a byte stream into NVMe/TCP PDUs. It checks every length and offset against the PDU's
 * type, the negotiated digests and a data limit before it waits for or slices anything, and
 * verifies digests. The first bad PDU raises an {@link NvmeTcpProtocolException}; everything after
 * it is discarded, because the stream cannot be resynchronised.
 */
public final class NvmeTcpPduDecoder extends ByteToMessageDecoder {
    private final boolean hostSide;
    private long maxDataLength;
    private boolean headerDigest;
    private boolean dataDigest;
    private boolean failed;

    /**
     * @param hostSide      true in a host (decodes controller PDUs), false in a controller
     * @param maxDataLength the largest data part a PDU may carry
     */
    public NvmeTcpPduDecoder(boolean hostSide, long maxDataLength) {
        this.hostSide = hostSide;
        this.maxDataLength = maxDataLength;
    }

    /** Digests negotiated by the ICReq/ICResp exchange; they apply to the PDUs that follow it. */
    public void setDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    public void setMaxDataLength(long max) {
        this.maxDataLength = max;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            NvmeTcpPdu pdu = decodeOne(in);
            if (pdu != null) {
                out.add(pdu);
            }
        } catch (NvmeTcpProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private NvmeTcpPdu decodeOne(ByteBuf in) {
        if (in.readableBytes() < PduType.CH_LEN) {
            return null;
        }
        int at = in.readerIndex();
        int code = in.getUnsignedByte(at);
        int flags = in.getUnsignedByte(at + 1);
        int hlen = in.getUnsignedByte(at + 2);
        int pdo = in.getUnsignedByte(at + 3);
        long plen = in.getUnsignedIntLE(at + 4);
        PduType type = PduType.of(code);
        if (type == null) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 0, "unknown PDU type 0x" + Integer.toHexString(code));
        }
        if (type.fromHost() == hostSide) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 0, type + " PDU cannot come from a " + (hostSide ? "controller" : "host"));
        }
        if (hlen != type.hlen()) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 2, type + " PDU with header length " + hlen + ", expected " + type.hlen());
        }
        boolean hd = (flags & PduType.FLAG_HDGSTF) != 0;
        boolean dd = (flags & PduType.FLAG_DDGSTF) != 0;
        if (!type.digestible() && (hd || dd)) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 1, type + " PDU with digest flags 0x" + Integer.toHexString(flags));
        }
        if (type.digestible() && hd != headerDigest) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 1, type + " PDU " + (hd ? "with" : "without") + " a header digest, negotiated " + (headerDigest ? "on" : "off"));
        }
        int headerEnd = hlen + (hd ? 4 : 0);
        if (plen < headerEnd) {
            throw bad(TermReq.FES_INVALID_HEADER_FIELD, 4, type + " PDU length " + plen + " shorter than its header of " + headerEnd);
        }
        int dataStart = 0;
        long dataLen = 0;
        if (type.isTermReq()) {
            dataStart = hlen;
            dataLen = plen - hlen;
            int max = hostSide ? TermReq.MAX_C2H_DATA : TermReq.MAX_H2C_DATA;
            if (dataLen > max) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 4, type + " PDU length " + plen + " exceeds " + (hlen + max));
            }
        } else if (type.carriesData() && plen > headerEnd) {
            if (pdo < headerEnd || pdo > plen) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 3, type + " PDU data offset " + pdo + " outside " + headerEnd + ".." + plen);
            }
            dataStart = pdo;
            dataLen = plen - pdo - (dd ? 4 : 0);
            if (dataLen <= 0) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 4, type + " PDU length " + plen + " leaves no room for data at offset " + pdo);
            }
            if (dd != dataDigest) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 1, type + " PDU " + (dd ? "with" : "without") + " a data digest, negotiated " + (dataDigest ? "on" : "off"));
            }
            if (dataLen > maxDataLength) {
                throw bad(TermReq.FES_DATA_LIMIT_EXCEEDED, 4, type + " PDU carries " + dataLen + " bytes of data, limit " + maxDataLength);
            }
        } else {
            if (dd) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 1, type + " PDU without data has the data digest flag");
            }
            if (plen != headerEnd) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 4, type + " PDU length " + plen + ", expected " + headerEnd);
            }
            if (type.carriesData() && pdo != 0) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 3, type + " PDU without data has data offset " + pdo);
            }
        }
        if (in.readableBytes() < plen) {
            return null;
        }
        if (hd) {
            int want = in.getIntLE(at + hlen);
            int got = PduDigest.crc32c(in, at, hlen);
            if (want != got) {
                throw bad(TermReq.FES_HEADER_DIGEST_ERROR, 0, type + " PDU header digest 0x" + Integer.toHexString(want) + ", computed 0x" + Integer.toHexString(got));
            }
        }
        if (dd && dataLen > 0) {
            int want = in.getIntLE(at + dataStart + (int) dataLen);
            int got = PduDigest.crc32c(in, at + dataStart, (int) dataLen);
            if (want != got) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 0, type + " PDU data digest 0x" + Integer.toHexString(want) + ", computed 0x" + Integer.toHexString(got));
            }
        }
        ByteBuf data = dataLen > 0 ? in.retainedSlice(at + dataStart, (int) dataLen) : Unpooled.EMPTY_BUFFER;
        NvmeTcpPdu pdu;
        try {
            pdu = switch (type) {
                case IC_REQ -> IcReq.read(in, at);
                case IC_RESP -> IcResp.read(in, at);
                case CAPSULE_CMD -> CapsuleCommand.read(in, at, data);
                case CAPSULE_RESP -> CapsuleResponse.read(in, at);
                case H2C_DATA -> H2CData.read(in, at, flags, data);
                case C2H_DATA -> C2HData.read(in, at, flags, data);
                case R2T -> R2T.read(in, at);
                case H2C_TERM_REQ, C2H_TERM_REQ -> TermReq.read(type, in, at, data);
            };
            if (pdu instanceof H2CData h && h.data().readableBytes() != in.getUnsignedIntLE(at + 16)) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 16, "H2CData DATAL " + in.getUnsignedIntLE(at + 16) + " but the PDU carries " + dataLen + " bytes");
            }
            if (pdu instanceof C2HData c && c.data().readableBytes() != in.getUnsignedIntLE(at + 16)) {
                throw bad(TermReq.FES_INVALID_HEADER_FIELD, 16, "C2HData DATAL " + in.getUnsignedIntLE(at + 16) + " but the PDU carries " + dataLen + " bytes");
            }
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        in.skipBytes((int) plen);
        return pdu;
    }

    private static NvmeTcpProtocolException bad(int fes, long fei, String message) {
        return new NvmeTcpProtocolException(fes, fei, message);
    }
}
