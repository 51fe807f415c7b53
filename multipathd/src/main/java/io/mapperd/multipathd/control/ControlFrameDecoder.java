package io.mapperd.multipathd.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * libmpathcmd framing: a native-endian size_t length, then that many bytes of command text that
 * end with a NUL. Emits the text without its NUL. The length is checked before anything is buffered.
 */
public final class ControlFrameDecoder extends ByteToMessageDecoder {
    /** size_t on the platforms we run on. */
    public static final int LENGTH_BYTES = 8;
    /** Commands carry tables; a few MiB is far beyond any sane one. */
    public static final long DEFAULT_MAX_FRAME = 16L << 20;

    private final long maxFrame;

    public ControlFrameDecoder() {
        this(DEFAULT_MAX_FRAME);
    }

    public ControlFrameDecoder(long maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < LENGTH_BYTES) {
            return;
        }
        int at = in.readerIndex();
        long len = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? in.getLongLE(at) : in.getLong(at);
        if (len <= 0) {
            in.skipBytes(in.readableBytes());
            throw new CorruptedFrameException("control frame length " + Long.toUnsignedString(len) + ": must be at least 1 (the NUL)");
        }
        if (len > maxFrame) {
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("control frame length " + len + " exceeds the limit of " + maxFrame + " bytes");
        }
        if (in.readableBytes() < LENGTH_BYTES + len) {
            return;
        }
        in.skipBytes(LENGTH_BYTES);
        int n = (int) len;
        int textLen = in.getByte(in.readerIndex() + n - 1) == 0 ? n - 1 : n;
        int nul = in.indexOf(in.readerIndex(), in.readerIndex() + textLen, (byte) 0);
        if (nul >= 0) {
            textLen = nul - in.readerIndex();
        }
        out.add(in.toString(in.readerIndex(), textLen, StandardCharsets.UTF_8));
        in.skipBytes(n);
    }
}
