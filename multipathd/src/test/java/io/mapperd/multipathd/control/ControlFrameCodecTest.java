package io.mapperd.multipathd.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlFrameCodecTest {
    /** A frame as libmpathcmd writes it: native-endian size_t (length with the NUL), text, NUL. */
    static byte[] frame(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer().order(ByteOrder.LITTLE_ENDIAN);
        b.writeLongLE(t.length + 1L);
        b.writeBytes(t);
        b.writeByte(0);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    void decodesOneCommandWithoutItsNul() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(frame("show version")));
        assertEquals("show version", ch.readInbound());
        assertNull(ch.readInbound());
    }

    @Test
    void waitsForSplitLengthAndBody() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        byte[] f = frame("show daemon");
        for (int i = 0; i < f.length - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(f, i, 1));
            assertNull(ch.readInbound(), "nothing before the last byte, at " + i);
        }
        ch.writeInbound(Unpooled.wrappedBuffer(f, f.length - 1, 1));
        assertEquals("show daemon", ch.readInbound());
    }

    @Test
    void decodesTwoFramesInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(frame("a"), frame("dmsetup table 'x y'")));
        assertEquals("a", ch.readInbound());
        assertEquals("dmsetup table 'x y'", ch.readInbound());
    }

    @Test
    void takesTextWithoutTrailingNulWhole() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        ByteBuf b = Unpooled.buffer();
        b.writeLongLE(4);
        b.writeBytes("list".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(b);
        assertEquals("list", ch.readInbound());
    }

    @Test
    void refusesZeroLength() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        ByteBuf b = Unpooled.buffer();
        b.writeLongLE(0);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(b));
        assertInstanceOf(CorruptedFrameException.class, e);
    }

    @Test
    void refusesOversizedLengthBeforeBufferingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder(1024));
        ByteBuf b = Unpooled.buffer();
        b.writeLongLE(1L << 40);
        b.writeBytes(new byte[16]);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(b));
        assertInstanceOf(TooLongFrameException.class, e);
        assertEquals(0, b.readableBytes(), "the garbage was dropped");
    }

    @Test
    void refusesNegativeLength() {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlFrameDecoder());
        ByteBuf b = Unpooled.buffer();
        b.writeLongLE(-1L);
        assertThrows(DecoderException.class, () -> ch.writeInbound(b));
    }

    @Test
    void encodesAsLibmpathcmdAndRoundTrips() {
        EmbeddedChannel enc = new EmbeddedChannel(new ControlFrameEncoder());
        enc.writeOutbound("pid 1 idle\n");
        ByteBuf out = enc.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertArrayEquals(frame("pid 1 idle\n"), bytes);
        EmbeddedChannel dec = new EmbeddedChannel(new ControlFrameDecoder());
        dec.writeInbound(Unpooled.wrappedBuffer(bytes));
        assertEquals("pid 1 idle\n", dec.readInbound());
        assertFalse(dec.finish());
    }

    @Test
    void encodesUtf8ByteLength() {
        EmbeddedChannel enc = new EmbeddedChannel(new ControlFrameEncoder());
        enc.writeOutbound("\u2514\u2500a");
        ByteBuf out = enc.readOutbound();
        assertEquals(3 + 3 + 1 + 1, out.getLongLE(0));
        out.release();
    }
}
