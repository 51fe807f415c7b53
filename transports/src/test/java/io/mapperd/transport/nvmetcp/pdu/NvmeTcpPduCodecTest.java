package io.mapperd.transport.nvmetcp.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoder/decoder round trips, and the decoder refusing truncated, oversized and garbage input. */
class NvmeTcpPduCodecTest {
    /** Encodes on one side and returns the bytes. */
    static ByteBuf encode(NvmeTcpPdu pdu, boolean hd, boolean dd, int pda) {
        NvmeTcpPduEncoder enc = new NvmeTcpPduEncoder();
        enc.setDigests(hd, dd);
        enc.setDataAlignment(pda);
        EmbeddedChannel ch = new EmbeddedChannel(enc);
        ch.writeOutbound(pdu);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    static EmbeddedChannel decoder(boolean hostSide, boolean hd, boolean dd, long max) {
        NvmeTcpPduDecoder dec = new NvmeTcpPduDecoder(hostSide, max);
        dec.setDigests(hd, dd);
        return new EmbeddedChannel(dec);
    }

    static ByteBuf data(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void icReqAndIcRespRoundTrip() {
        ByteBuf wire = encode(new IcReq(0, 3, true, false, 0), false, false, 0);
        assertEquals(128, wire.readableBytes());
        EmbeddedChannel target = decoder(false, false, false, 8192);
        target.writeInbound(wire);
        assertEquals(new IcReq(0, 3, true, false, 0), target.readInbound());
        EmbeddedChannel host = decoder(true, false, false, 8192);
        host.writeInbound(encode(new IcResp(0, 1, false, true, 4 << 20), false, false, 0));
        assertEquals(new IcResp(0, 1, false, true, 4 << 20), host.readInbound());
    }

    @Test
    void capsuleWithInCapsuleDataDigestsAndAlignment() {
        Sqe sqe = Sqe.of(0x01, 1).withCid(77).withSgl(Sqe.SGL_IN_CAPSULE, 0, 11).withCdw(5, 0, 0, 0, 0, 0);
        ByteBuf wire = encode(new CapsuleCommand(sqe, data("hello world")), true, true, 7);
        assertEquals(96, wire.getUnsignedByte(3), "72 header + 4 digest bytes padded to the 32-byte alignment");
        assertEquals(96 + 11 + 4, wire.getIntLE(4));
        assertEquals(PduType.FLAG_HDGSTF | PduType.FLAG_DDGSTF, wire.getUnsignedByte(1));
        EmbeddedChannel ch = decoder(false, true, true, 8192);
        ch.writeInbound(wire);
        CapsuleCommand got = ch.readInbound();
        assertEquals(sqe, got.sqe());
        assertEquals("hello world", got.data().toString(StandardCharsets.US_ASCII));
        got.release();
    }

    @Test
    void everyHostPduRoundTripsWithAndWithoutDigests() {
        for (boolean digests : new boolean[]{false, true}) {
            Sqe sqe = Sqe.of(0x02, 1).withCid(9).withCdw(100, 0, 7, 0, 0, 0);
            roundTrip(new CapsuleCommand(sqe), false, digests);
            CapsuleCommand withData = (CapsuleCommand) roundTrip(new CapsuleCommand(sqe, data("abcd")), false, digests);
            assertEquals("abcd", withData.data().toString(StandardCharsets.US_ASCII));
            withData.release();
            H2CData h = (H2CData) roundTrip(new H2CData(9, 3, 4096, true, data("xyz!")), false, digests);
            assertEquals(4096, h.datao());
            assertTrue(h.last());
            h.release();
            roundTrip(new CapsuleResponse(new Cqe(0x1234_5678_9abcL, 1, 2, 9, 0x0604)), true, digests);
            roundTrip(new R2T(9, 3, 8192, 65536), true, digests);
            C2HData c = (C2HData) roundTrip(new C2HData(9, 512, true, true, data("data")), true, digests);
            assertTrue(c.success());
            c.release();
        }
    }

    private static NvmeTcpPdu roundTrip(NvmeTcpPdu pdu, boolean toHost, boolean digests) {
        ByteBuf wire = encode(pdu, digests, digests, 0);
        EmbeddedChannel ch = decoder(toHost, digests, digests, 1 << 20);
        // byte by byte: the decoder must wait for whole PDUs
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        NvmeTcpPdu got = ch.readInbound();
        assertEquals(pdu.type(), got.type());
        if (!(pdu instanceof DataPdu)) {
            assertEquals(pdu, got);
        }
        assertNull(ch.readInbound());
        return got;
    }

    @Test
    void truncatedPduYieldsNothing() {
        ByteBuf wire = encode(new CapsuleResponse(Cqe.success(1, 0)), false, false, 0);
        EmbeddedChannel ch = decoder(true, false, false, 4096);
        ch.writeInbound(wire.readRetainedSlice(23));
        assertNull(ch.readInbound());
        wire.release();
        assertFalse(ch.finish() && ch.readInbound() != null);
    }

    @Test
    void unknownTypeIsRefused() {
        EmbeddedChannel ch = decoder(true, false, false, 4096);
        ByteBuf garbage = Unpooled.wrappedBuffer(new byte[]{0x42, 0, 24, 0, 24, 0, 0, 0});
        NvmeTcpProtocolException e = refused(ch, garbage);
        assertTrue(e.getMessage().contains("unknown PDU type 0x42"), e.getMessage());
        // after a fatal error the stream is discarded, even valid PDUs
        ch.writeInbound(encode(new CapsuleResponse(Cqe.success(1, 0)), false, false, 0));
        assertNull(ch.readInbound());
    }

    @Test
    void pduFromTheWrongSideIsRefused() {
        EmbeddedChannel ch = decoder(true, false, false, 4096);
        NvmeTcpProtocolException e = refused(ch, encode(new CapsuleCommand(Sqe.of(0, 0)), false, false, 0));
        assertTrue(e.getMessage().contains("cannot come from a controller"), e.getMessage());
    }

    @Test
    void wrongHeaderLengthIsRefused() {
        ByteBuf wire = encode(new CapsuleResponse(Cqe.success(1, 0)), false, false, 0);
        wire.setByte(2, 72);
        NvmeTcpProtocolException e = refused(decoder(true, false, false, 4096), wire);
        assertEquals(TermReq.FES_INVALID_HEADER_FIELD, e.fes());
        assertEquals(2, e.fei());
    }

    @Test
    void lengthShorterThanHeaderIsRefused() {
        ByteBuf wire = encode(new CapsuleResponse(Cqe.success(1, 0)), false, false, 0);
        wire.setIntLE(4, 12);
        assertTrue(refused(decoder(true, false, false, 4096), wire).getMessage().contains("shorter than its header"));
    }

    @Test
    void hugeDataLengthIsRefusedBeforeWaitingForIt() {
        ByteBuf wire = encode(new C2HData(1, 0, true, false, data("abcd")), false, false, 0);
        wire.setIntLE(4, 0x7FFF_FFF0);
        ByteBuf head = wire.readRetainedSlice(24);
        wire.release();
        NvmeTcpProtocolException e = refused(decoder(true, false, false, 1 << 20), head);
        assertEquals(TermReq.FES_DATA_LIMIT_EXCEEDED, e.fes());
    }

    @Test
    void dataLengthFieldDisagreeingWithPduIsRefused() {
        ByteBuf wire = encode(new C2HData(1, 0, true, false, data("abcd")), false, false, 0);
        wire.setIntLE(16, 4096);
        assertTrue(refused(decoder(true, false, false, 1 << 20), wire).getMessage().contains("DATAL 4096"));
    }

    @Test
    void dataOffsetInsideTheHeaderIsRefused() {
        ByteBuf wire = encode(new C2HData(1, 0, true, false, data("abcd")), false, false, 0);
        wire.setByte(3, 8);
        assertEquals(3, refused(decoder(true, false, false, 1 << 20), wire).fei());
    }

    @Test
    void badHeaderDigestIsRefused() {
        ByteBuf wire = encode(new CapsuleResponse(Cqe.success(1, 0)), true, false, 0);
        wire.setByte(20, wire.getByte(20) ^ 1);
        assertEquals(TermReq.FES_HEADER_DIGEST_ERROR, refused(decoder(true, true, false, 4096), wire).fes());
    }

    @Test
    void badDataDigestIsRefused() {
        ByteBuf wire = encode(new C2HData(1, 0, true, false, data("abcd")), false, true, 0);
        wire.setByte(wire.writerIndex() - 6, 'X');
        assertTrue(refused(decoder(true, false, true, 4096), wire).getMessage().contains("data digest"));
    }

    @Test
    void digestFlagsNotNegotiatedAreRefused() {
        ByteBuf wire = encode(new CapsuleResponse(Cqe.success(1, 0)), true, false, 0);
        assertTrue(refused(decoder(true, false, false, 4096), wire).getMessage().contains("header digest"));
    }

    @Test
    void termReqWithTooMuchDataIsRefused() {
        ByteBuf wire = encode(new TermReq(false, 1, 0, Unpooled.wrappedBuffer(new byte[200])), false, false, 0);
        assertTrue(refused(decoder(true, false, false, 4096), wire).getMessage().contains("exceeds"));
    }

    @Test
    void randomGarbageNeverYieldsAPduOrHangsTheDecoder() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[8 + r.nextInt(200)];
            r.nextBytes(b);
            EmbeddedChannel ch = decoder(r.nextBoolean(), false, false, 4096);
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(b));
                Object o;
                while ((o = ch.readInbound()) != null) {
                    assertInstanceOf(NvmeTcpPdu.class, o);
                    io.netty.util.ReferenceCountUtil.release(o);
                }
            } catch (DecoderException e) {
                assertInstanceOf(NvmeTcpProtocolException.class, e.getCause());
            }
            ch.finishAndReleaseAll();
        }
    }

    private static NvmeTcpProtocolException refused(EmbeddedChannel ch, ByteBuf in) {
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(in));
        return assertInstanceOf(NvmeTcpProtocolException.class, e.getCause());
    }
}
