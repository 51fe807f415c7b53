package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PduCodecTest {
    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    static List<Pdu> samples() {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x88;
        return List.of(
                new NopOut(true, 1L << 48, 7, Pdu.RESERVED_TAG, 10, 20, text("ping")),
                new NopIn(0, 7, Pdu.RESERVED_TAG, 21, 11, 40, text("ping")),
                new ScsiCommand(false, true, true, false, 1, 1L << 48, 99, 4096, 12, 22, cdb, Unpooled.EMPTY_BUFFER),
                new ScsiResponse(ScsiResponse.RESIDUAL_UNDERFLOW, 0, 2, 99, 23, 13, 44, 0, 0, 512, text("\0\u0012sense-bytes-here!")),
                new TaskMgmtRequest(true, TaskMgmtRequest.ABORT_TASK, 1L << 48, 100, 99, 13, 24, 12, 0),
                new TaskMgmtResponse(0, 100, 24, 14, 45),
                new LoginRequest(true, false, 0, 1, 0, 0, 0x80_1234_5678_9aL, 0, 0, 0, 1, 0, text("InitiatorName=iqn.x\0")),
                new LoginResponse(true, false, 1, 3, 0, 0, 0x80_1234_5678_9aL, 256, 0, 5, 1, 33, 0, 0, text("TargetAlias=t\0")),
                new TextRequest(true, true, false, 0, 3, Pdu.RESERVED_TAG, 1, 6, text("SendTargets=All\0")),
                new TextResponse(true, false, 0, 3, Pdu.RESERVED_TAG, 6, 2, 34, text("TargetName=iqn.y\0")),
                new DataOut(true, 1L << 48, 99, 0x1234, 25, 3, 8192, text("abcdefg")),
                new DataIn(DataIn.FINAL | DataIn.STATUS, 0, 1L << 48, 99, Pdu.RESERVED_TAG, 26, 15, 46, 4, 0, 0, text("data")),
                new LogoutRequest(true, 0, 101, 0, 16, 27),
                new LogoutResponse(0, 101, 27, 17, 48, 2, 0),
                new R2t(1L << 48, 99, 0x55, 28, 17, 48, 0, 4096, 65536),
                new AsyncMessage(1L << 48, 29, 17, 48, 1, 0, 0, 2, 0, Unpooled.EMPTY_BUFFER),
                new Reject(Reject.PROTOCOL_ERROR, 30, 17, 48, 0, Unpooled.wrappedBuffer(new byte[48])));
    }

    private static EmbeddedChannel channel(boolean digests, int max) {
        PduDecoder d = new PduDecoder(max);
        PduEncoder e = new PduEncoder();
        d.digests(digests, digests);
        e.digests(digests, digests);
        return new EmbeddedChannel(d, e);
    }

    @Test
    void everyPduSurvivesARoundTripWithAndWithoutDigests() {
        for (boolean digests : new boolean[]{false, true}) {
            for (Pdu p : samples()) {
                EmbeddedChannel ch = channel(digests, 1 << 16);
                String dataBefore = p.data().toString(StandardCharsets.ISO_8859_1);
                assertTrue(ch.writeOutbound(p.retain()));
                ByteBuf wire = Unpooled.buffer();
                for (Object o; (o = ch.readOutbound()) != null; ) {
                    wire.writeBytes((ByteBuf) o);
                    ((ByteBuf) o).release();
                }
                assertEquals(0, wire.readableBytes() % 4, "PDUs are padded to 4 bytes: " + p);
                ch.writeInbound(wire);
                Pdu back = ch.readInbound();
                assertEquals(p.getClass(), back.getClass());
                assertEquals(dataBefore, back.data().toString(StandardCharsets.ISO_8859_1));
                if (p instanceof ScsiCommand c) {
                    ScsiCommand b = (ScsiCommand) back;
                    assertArrayEquals(c.cdb(), b.cdb());
                    assertEquals(c.expectedLength(), b.expectedLength());
                    assertEquals(c.cmdSn(), b.cmdSn());
                } else {
                    // Records with equal fields and equal data compare equal (ByteBuf equality is by content).
                    assertEquals(p, back, "round trip of " + p.getClass().getSimpleName());
                }
                back.release();
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void aPduArrivingByteByByteDecodesOnceComplete() {
        EmbeddedChannel ch = channel(true, 1 << 16);
        ch.writeOutbound(new TextResponse(true, false, 0, 3, Pdu.RESERVED_TAG, 6, 2, 34, text("TargetName=iqn.y\0")));
        ByteBuf wire = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            wire.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        int n = wire.readableBytes();
        for (int i = 0; i < n - 1; i++) {
            ch.writeInbound(wire.readRetainedSlice(1));
            assertNull(ch.readInbound(), "nothing before the last byte (" + i + ")");
        }
        ch.writeInbound(wire.readRetainedSlice(1));
        Pdu p = ch.readInbound();
        assertInstanceOf(TextResponse.class, p);
        p.release();
        wire.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aDataSegmentLongerThanTheLimitIsRefusedBeforeItArrives() {
        EmbeddedChannel ch = channel(false, 8192);
        ByteBuf bhs = Unpooled.buffer(48);
        bhs.writeByte(Opcode.DATA_IN).writeByte(0x80).writeShort(0).writeByte(0).writeMedium(0xffffff).writeZero(40);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(bhs));
        assertTrue(e.getMessage().contains("exceeds MaxRecvDataSegmentLength 8192"), e.getMessage());
    }

    @Test
    void anUnknownOpcodeIsAProtocolError() {
        EmbeddedChannel ch = channel(false, 8192);
        ByteBuf bhs = Unpooled.buffer(48);
        bhs.writeByte(0x1c).writeZero(47);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(bhs));
        assertInstanceOf(PduException.class, e);
        assertTrue(e.getMessage().contains("opcode 0x1c"), e.getMessage());
    }

    @Test
    void aCorruptHeaderDigestIsDetected() {
        EmbeddedChannel ch = channel(true, 8192);
        ch.writeOutbound(new NopIn(0, 7, Pdu.RESERVED_TAG, 21, 11, 40, Unpooled.EMPTY_BUFFER));
        ByteBuf wire = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            wire.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        wire.setByte(20, wire.getByte(20) ^ 1);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(wire));
        assertTrue(e.getMessage().contains("header digest error"), e.getMessage());
    }

    @Test
    void garbageNeverHangsOrAllocatesBeyondTheLimit() {
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            EmbeddedChannel ch = channel(r.nextBoolean(), 1 << 16);
            byte[] junk = new byte[r.nextInt(300)];
            r.nextBytes(junk);
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(junk));
                for (Object o; (o = ch.readInbound()) != null; ) {
                    ((Pdu) o).release();
                }
            } catch (DecoderException expected) {
                // refused: fine
            }
            try {
                ch.finishAndReleaseAll();
            } catch (DecoderException expected) {
                // the partial PDU left at close is refused too
            }
        }
    }
}
