package io.mapperd.multipathd.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.nio.ByteOrder;

/** Frames a reply (or a command, on the client side) as libmpathcmd does: size_t length, text, NUL. */
@ChannelHandler.Sharable
public final class ControlFrameEncoder extends MessageToByteEncoder<String> {
    public ControlFrameEncoder() {
        super(String.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, String msg, ByteBuf out) {
        int at = out.writerIndex();
        out.writeLong(0);
        int n = ByteBufUtil.writeUtf8(out, msg);
        out.writeByte(0);
        long len = n + 1L;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            out.setLongLE(at, len);
        } else {
            out.setLong(at, len);
        }
    }
}
