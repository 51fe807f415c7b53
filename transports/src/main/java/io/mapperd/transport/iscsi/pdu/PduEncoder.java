package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes PDUs: the header (and its digest) into a small new buffer, the data segment as the caller's
 * buffer itself, then padding and the data digest. Data is never copied.
 */
@ChannelHandler.Sharable
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;

    public PduEncoder() {
        super(Pdu.class);
    }

    public void digests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        ByteBuf data = pdu.data();
        int len = data.readableBytes();
        if (len > 0xffffff) {
            throw new PduException(Opcode.name(pdu.opcode()) + " data segment of " + len + " bytes is too long");
        }
        int pad = (4 - (len & 3)) & 3;
        boolean dd = dataDigest && len > 0;
        boolean inlineTail = !dd && pad == 0;
        ByteBuf hdr = ctx.alloc().directBuffer(Pdu.BHS_LENGTH + 4 + (inlineTail ? 0 : 8));
        pdu.writeBhs(hdr);
        if (headerDigest) {
            hdr.writeIntLE(Digests.crc32c(hdr, 0, Pdu.BHS_LENGTH));
        }
        out.add(hdr);
        if (len > 0) {
            out.add(data.retainedSlice());
            if (pad > 0 || dd) {
                ByteBuf tail = ctx.alloc().directBuffer(8);
                tail.writeZero(pad);
                if (dd) {
                    CRC32C crc = new CRC32C();
                    Digests.update(crc, data, data.readerIndex(), len);
                    Digests.update(crc, tail, 0, pad);
                    tail.writeIntLE((int) crc.getValue());
                }
                out.add(tail);
            }
        }
    }
}
