package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes every server message. Data buffers (READ replies, option payloads) are passed on after a
 * small header, never copied; ownership of them passes to the channel. A READ reply's header is
 * written into the room its data buffer leaves in front (see {@link NbdTransmissionHandler#READ_HEADROOM}).
 */
@ChannelHandler.Sharable
public final class NbdServerEncoder extends MessageToMessageEncoder<NbdServerMessage> {
    public static final NbdServerEncoder INSTANCE = new NbdServerEncoder();
    private static final int SIMPLE_HEADER = 16;
    private static final int STRUCTURED_HEADER = 20;

    private NbdServerEncoder() {
        super(NbdServerMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, NbdServerMessage msg, List<Object> out) {
        switch (msg) {
            case ServerGreeting g -> out.add(ctx.alloc().buffer(18)
                    .writeLong(NbdProtocol.NBDMAGIC).writeLong(NbdProtocol.IHAVEOPT).writeShort(g.handshakeFlags()));
            case OptionReply r -> {
                ByteBuf p = r.payload();
                out.add(ctx.alloc().buffer(20).writeLong(NbdProtocol.OPTION_REPLY_MAGIC)
                        .writeInt(r.option()).writeInt(r.type()).writeInt(p.readableBytes()));
                out.add(p);
            }
            case ExportNameReply r -> {
                ByteBuf b = ctx.alloc().buffer(r.zeroes() ? 134 : 10).writeLong(r.size()).writeShort(r.transmissionFlags());
                if (r.zeroes()) {
                    b.writeZero(124);
                }
                out.add(b);
            }
            case SimpleReply r -> {
                ByteBuf d = r.data();
                ByteBuf h = headerBefore(ctx, d, SIMPLE_HEADER);
                int at = h.readerIndex();
                h.setInt(at, NbdProtocol.SIMPLE_REPLY_MAGIC).setInt(at + 4, r.error()).setLong(at + 8, r.cookie());
                out.add(h);
                if (d != null && d != h) {
                    out.add(d);
                }
            }
            case OffsetDataChunk c -> {
                ByteBuf d = c.data();
                int length = 8 + d.readableBytes();
                ByteBuf h = headerBefore(ctx, d, STRUCTURED_HEADER + 8);
                int at = h.readerIndex();
                putStructuredHeader(h, at, NbdProtocol.REPLY_TYPE_OFFSET_DATA, c.cookie(), length)
                        .setLong(at + STRUCTURED_HEADER, c.offset());
                out.add(h);
                if (d != h) {
                    out.add(d);
                }
            }
            case ErrorChunk c -> {
                byte[] m = c.message().getBytes(StandardCharsets.UTF_8);
                int len = Math.min(m.length, 4096);
                out.add(structuredHeader(ctx, STRUCTURED_HEADER + 6 + len, NbdProtocol.REPLY_TYPE_ERROR, c.cookie(), 6 + len)
                        .writeInt(c.error()).writeShort(len).writeBytes(m, 0, len));
            }
            case BlockStatusChunk c -> {
                int n = c.descriptors().size();
                ByteBuf b = structuredHeader(ctx, STRUCTURED_HEADER + 4 + 8 * n, NbdProtocol.REPLY_TYPE_BLOCK_STATUS,
                        c.cookie(), 4 + 8 * n).writeInt(c.contextId());
                for (BlockStatusChunk.Descriptor d : c.descriptors()) {
                    b.writeInt((int) d.length()).writeInt(d.flags());
                }
                out.add(b);
            }
        }
    }

    private static ByteBuf structuredHeader(ChannelHandlerContext ctx, int capacity, int type, long cookie, int length) {
        ByteBuf b = ctx.alloc().directBuffer(capacity).writerIndex(STRUCTURED_HEADER);
        return putStructuredHeader(b, 0, type, cookie, length);
    }

    private static ByteBuf putStructuredHeader(ByteBuf b, int at, int type, long cookie, int length) {
        return b.setInt(at, NbdProtocol.STRUCTURED_REPLY_MAGIC).setShort(at + 4, NbdProtocol.REPLY_FLAG_DONE)
                .setShort(at + 6, type).setLong(at + 8, cookie).setInt(at + 16, length);
    }

    /**
     * Where a header of {@code size} bytes goes: into the room in front of {@code data} (which then
     * starts at the header), or, without such room, a new buffer of its own whose readable bytes are
     * the header.
     */
    private static ByteBuf headerBefore(ChannelHandlerContext ctx, ByteBuf data, int size) {
        if (data != null && data.readerIndex() >= size) {
            return data.readerIndex(data.readerIndex() - size);
        }
        return ctx.alloc().directBuffer(size).writerIndex(size);
    }
}
