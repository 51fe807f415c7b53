package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes PDUs: a header buffer (common header, PDU header, header digest, padding to the peer's
 * data alignment), then the data buffer itself (never copied), then the data digest.
 */
public final class NvmeTcpPduEncoder extends MessageToMessageEncoder<NvmeTcpPdu> {
    private boolean headerDigest;
    private boolean dataDigest;
    private int dataAlignment = 4;

    public NvmeTcpPduEncoder() {
        super(NvmeTcpPdu.class);
    }

    public void setDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    /** The peer's PDU data alignment, 0's based in dwords, as ICReq's HPDA or ICResp's CPDA. */
    public void setDataAlignment(int pda) {
        this.dataAlignment = (pda + 1) * 4;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, NvmeTcpPdu pdu, List<Object> out) {
        PduType type = pdu.type();
        ByteBuf data = pdu instanceof DataPdu d ? d.data() : null;
        int dataLen = data == null ? 0 : data.readableBytes();
        boolean hd = headerDigest && type.digestible();
        boolean dd = dataDigest && type.digestible() && dataLen > 0;
        int hlen = type.hlen();
        int headerEnd = hlen + (hd ? 4 : 0);
        int pdo = 0;
        int pad = 0;
        long plen;
        if (type.isTermReq()) {
            plen = hlen + dataLen;
        } else if (dataLen > 0) {
            pdo = (headerEnd + dataAlignment - 1) / dataAlignment * dataAlignment;
            pad = pdo - headerEnd;
            plen = (long) pdo + dataLen + (dd ? 4 : 0);
        } else {
            plen = headerEnd;
        }
        ByteBuf h = ctx.alloc().buffer(headerEnd + pad);
        h.writeByte(type.code());
        h.writeByte((hd ? PduType.FLAG_HDGSTF : 0) | (dd ? PduType.FLAG_DDGSTF : 0) | pdu.extraFlags());
        h.writeByte(hlen);
        h.writeByte(pdo);
        h.writeIntLE((int) plen);
        pdu.writeHeader(h);
        if (h.writerIndex() != hlen) {
            h.release();
            throw new IllegalStateException(type + " header of " + h.writerIndex() + " bytes, expected " + hlen);
        }
        if (hd) {
            h.writeIntLE(PduDigest.crc32c(h, 0, hlen));
        }
        h.writeZero(pad);
        out.add(h);
        if (dataLen > 0) {
            out.add(data.retain());
            if (dd) {
                out.add(ctx.alloc().buffer(4).writeIntLE(PduDigest.crc32c(data, data.readerIndex(), dataLen)));
            }
        }
    }
}
