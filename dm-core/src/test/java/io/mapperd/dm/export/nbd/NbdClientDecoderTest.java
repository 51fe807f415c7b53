package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NbdClientDecoderTest {
    private final NbdClientDecoder decoder = new NbdClientDecoder();
    private final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    static ByteBuf option(int option, ByteBuf data) {
        ByteBuf b = Unpooled.buffer().writeLong(NbdProtocol.IHAVEOPT).writeInt(option).writeInt(data.readableBytes());
        return b.writeBytes(data);
    }

    static ByteBuf infoData(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer().writeInt(n.length).writeBytes(n).writeShort(infos.length);
        for (int i : infos) {
            b.writeShort(i);
        }
        return b;
    }

    static ByteBuf request(int flags, int type, long cookie, long offset, int length) {
        return Unpooled.buffer().writeInt(NbdProtocol.REQUEST_MAGIC).writeShort(flags).writeShort(type)
                .writeLong(cookie).writeLong(offset).writeInt(length);
    }

    private void feedByteByByte(ByteBuf all) {
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
    }

    private void toOptions() {
        ch.writeInbound(Unpooled.buffer().writeInt(NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES));
        ClientFlags f = ch.readInbound();
        assertTrue(f.fixedNewstyle() && f.noZeroes());
        assertEquals(0, f.unknownBits());
    }

    @Test
    void optionsSplitIntoSingleBytesDecodeWhole() {
        ByteBuf all = Unpooled.buffer().writeInt(1)
                .writeBytes(option(NbdProtocol.OPT_STRUCTURED_REPLY, Unpooled.EMPTY_BUFFER))
                .writeBytes(option(NbdProtocol.OPT_GO, infoData("disk", NbdProtocol.INFO_NAME, NbdProtocol.INFO_BLOCK_SIZE)))
                .writeBytes(option(NbdProtocol.OPT_LIST, Unpooled.EMPTY_BUFFER))
                .writeBytes(option(NbdProtocol.OPT_EXPORT_NAME, Unpooled.copiedBuffer("vol", StandardCharsets.UTF_8)));
        feedByteByByte(all);
        assertEquals(new ClientFlags(1), ch.readInbound());
        assertEquals(new StructuredReplyOption(), ch.readInbound());
        assertEquals(new InfoOption(true, "disk", List.of(NbdProtocol.INFO_NAME, NbdProtocol.INFO_BLOCK_SIZE)), ch.readInbound());
        assertEquals(new ListOption(), ch.readInbound());
        assertEquals(new ExportNameOption("vol"), ch.readInbound());
        assertNull(ch.readInbound());
    }

    @Test
    void truncatedOptionDecodesNothingUntilComplete() {
        toOptions();
        ByteBuf o = option(NbdProtocol.OPT_INFO, infoData("disk"));
        ch.writeInbound(o.readRetainedSlice(o.readableBytes() - 1));
        assertNull(ch.readInbound());
        ch.writeInbound(o);
        assertEquals(new InfoOption(false, "disk", List.of()), ch.readInbound());
    }

    @Test
    void oversizedOptionIsRefusedAndSkippedAsItArrives() {
        toOptions();
        int len = NbdProtocol.MAX_OPTION_LENGTH + 1;
        ch.writeInbound(Unpooled.buffer().writeLong(NbdProtocol.IHAVEOPT).writeInt(NbdProtocol.OPT_GO).writeInt(len));
        RejectedOption r = ch.readInbound();
        assertEquals(NbdProtocol.REP_ERR_TOO_BIG, r.error());
        for (int i = 0; i < len; i += 4096) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[Math.min(4096, len - i)]));
            assertNull(ch.readInbound());
        }
        ch.writeInbound(option(NbdProtocol.OPT_ABORT, Unpooled.EMPTY_BUFFER));
        assertEquals(new AbortOption(), ch.readInbound());
    }

    @Test
    void lengthsInsideAnOptionAreCheckedAgainstTheOption() {
        toOptions();
        // name length claims 1000 bytes in a 10-byte option
        ch.writeInbound(option(NbdProtocol.OPT_GO, Unpooled.buffer().writeInt(1000).writeBytes(new byte[6])));
        assertEquals(NbdProtocol.REP_ERR_INVALID, ((RejectedOption) ch.readInbound()).error());
        // three info requests announced, one present
        ch.writeInbound(option(NbdProtocol.OPT_INFO, Unpooled.buffer().writeInt(0).writeShort(3).writeShort(1)));
        assertEquals(NbdProtocol.REP_ERR_INVALID, ((RejectedOption) ch.readInbound()).error());
        // 2^32-1 meta context queries announced
        ch.writeInbound(option(NbdProtocol.OPT_SET_META_CONTEXT, Unpooled.buffer().writeInt(0).writeInt(-1).writeInt(4)));
        assertEquals(NbdProtocol.REP_ERR_INVALID, ((RejectedOption) ch.readInbound()).error());
        // a query longer than what is left
        ch.writeInbound(option(NbdProtocol.OPT_LIST_META_CONTEXT, Unpooled.buffer().writeInt(0).writeInt(1).writeInt(50).writeByte('b')));
        assertEquals(NbdProtocol.REP_ERR_INVALID, ((RejectedOption) ch.readInbound()).error());
        // data on an option that takes none
        ch.writeInbound(option(NbdProtocol.OPT_LIST, Unpooled.buffer().writeInt(7)));
        assertEquals(NbdProtocol.REP_ERR_INVALID, ((RejectedOption) ch.readInbound()).error());
        // unknown options (STARTTLS included) are unsupported
        ch.writeInbound(option(NbdProtocol.OPT_STARTTLS, Unpooled.EMPTY_BUFFER));
        assertEquals(NbdProtocol.REP_ERR_UNSUP, ((RejectedOption) ch.readInbound()).error());
        ch.writeInbound(option(0x7777, Unpooled.buffer().writeLong(1)));
        assertEquals(NbdProtocol.REP_ERR_UNSUP, ((RejectedOption) ch.readInbound()).error());
        // and a good one still decodes after all that
        ByteBuf q = Unpooled.buffer().writeInt(4).writeBytes("disk".getBytes(StandardCharsets.UTF_8)).writeInt(1)
                .writeInt(15).writeBytes(NbdProtocol.BASE_ALLOCATION.getBytes(StandardCharsets.UTF_8));
        ch.writeInbound(option(NbdProtocol.OPT_SET_META_CONTEXT, q));
        assertEquals(new MetaContextOption(true, "disk", List.of(NbdProtocol.BASE_ALLOCATION)), ch.readInbound());
    }

    @Test
    void badOptionMagicIsAProtocolError() {
        toOptions();
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.buffer().writeLong(0x1234).writeInt(1).writeInt(0)));
        assertInstanceOf(NbdProtocolException.class, e.getCause());
    }

    @Test
    void requestsDecodeWithWritePayloadAsAView() {
        toOptions();
        decoder.enterTransmission();
        ByteBuf w = request(NbdProtocol.CMD_FLAG_FUA, NbdProtocol.CMD_WRITE, 7, 4096, 1000).writeBytes(new byte[1000]);
        ByteBuf all = Unpooled.buffer().writeBytes(request(0, NbdProtocol.CMD_READ, 5, 512, 4096)).writeBytes(w);
        feedByteByByte(all);
        NbdRequest r = ch.readInbound();
        assertEquals(new NbdRequest(0, NbdProtocol.CMD_READ, 5, 512, 4096, null), r);
        NbdRequest wr = ch.readInbound();
        assertEquals(NbdProtocol.CMD_WRITE, wr.type());
        assertTrue(wr.has(NbdProtocol.CMD_FLAG_FUA));
        assertEquals(1000, wr.data().readableBytes());
        assertTrue(wr.data().release());
    }

    @Test
    void largeWritePayloadIsReadStraightIntoItsOwnBuffer() {
        toOptions();
        decoder.enterTransmission();
        assertNull(decoder.receiveTarget(ch.alloc()), "no payload arriving: an ordinary receive buffer");
        int len = 256 << 10;
        byte[] payload = new byte[len];
        new Random(7).nextBytes(payload);
        // the header and the first bytes come in an ordinary receive buffer
        ch.writeInbound(request(0, NbdProtocol.CMD_WRITE, 11, 8192, len).writeBytes(payload, 0, 1000));
        assertNull(ch.readInbound());
        int at = 1000;
        long[] addresses = new long[8];
        int reads = 0;
        while (len - at >= NbdClientDecoder.LARGE_WRITE) {
            ByteBuf into = decoder.receiveTarget(ch.alloc());
            assertEquals(len - at, into.writableBytes(), "the read may fill exactly the rest of the payload");
            int n = Math.min(60_000, len - at);
            addresses[reads++] = into.hasMemoryAddress() ? into.memoryAddress() : 0;
            into.writeBytes(payload, at, n); // what the socket read does
            ch.writeInbound(into);
            at += n;
        }
        assertNull(decoder.receiveTarget(ch.alloc()), "a small rest comes in an ordinary receive buffer");
        int inPlace = at - 1000;
        ch.writeInbound(Unpooled.wrappedBuffer(payload, at, len - at));
        NbdRequest w = ch.readInbound();
        assertEquals(11, w.cookie());
        ByteBuf data = w.data();
        byte[] got = new byte[len];
        data.getBytes(data.readerIndex(), got);
        assertTrue(java.util.Arrays.equals(payload, got), "payload intact");
        if (data.hasMemoryAddress()) {
            // each socket read landed in the payload's own memory, where the bio writes from
            int off = 1000;
            for (int i = 0; i < reads; i++) {
                assertEquals(data.memoryAddress() + data.readerIndex() + off, addresses[i], "read " + i + " in place");
                off += Math.min(60_000, len - off);
            }
            assertEquals(1000 + inPlace, off);
        }
        assertTrue(data.release());
        ByteBuf header = decoder.receiveTarget(ch.alloc());
        assertEquals(28, header.capacity(), "after a large write the next read takes one request header");
        header.release();
        ch.writeInbound(request(0, NbdProtocol.CMD_FLUSH, 12, 0, 0));
        assertEquals(12, ((NbdRequest) ch.readInbound()).cookie());
        assertNull(decoder.receiveTarget(ch.alloc()), "after a flush, ordinary receive buffers again");
    }

    @Test
    void oversizedWriteIsRefusedAndItsPayloadSkipped() {
        toOptions();
        decoder.enterTransmission();
        int len = NbdProtocol.MAX_PAYLOAD + 512;
        ch.writeInbound(request(0, NbdProtocol.CMD_WRITE, 9, 0, len));
        RefusedRequest r = ch.readInbound();
        assertEquals(new RefusedRequest(NbdProtocol.CMD_WRITE, 9, NbdProtocol.EOVERFLOW, r.message()), r);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < len; i += chunk.length) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk, 0, Math.min(chunk.length, len - i)));
        }
        assertNull(ch.readInbound());
        ch.writeInbound(request(0, NbdProtocol.CMD_FLUSH, 10, 0, 0));
        assertEquals(NbdProtocol.CMD_FLUSH, ((NbdRequest) ch.readInbound()).type());
    }

    @Test
    void truncatedRequestWaitsAndBadMagicFails() {
        toOptions();
        decoder.enterTransmission();
        ByteBuf r = request(0, NbdProtocol.CMD_READ, 1, 0, 512);
        ch.writeInbound(r.readRetainedSlice(27));
        assertNull(ch.readInbound());
        ch.writeInbound(r);
        assertEquals(1, ((NbdRequest) ch.readInbound()).cookie());
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[28])));
        assertInstanceOf(NbdProtocolException.class, e.getCause());
    }

    @Test
    void randomGarbageEitherDecodesOrFailsAsAProtocolErrorNeverOtherwise() {
        Random rnd = new Random(42);
        for (int round = 0; round < 500; round++) {
            NbdClientDecoder d = new NbdClientDecoder();
            EmbeddedChannel c = new EmbeddedChannel(d);
            if (round % 2 == 1) {
                d.enterTransmission();
            }
            byte[] junk = new byte[rnd.nextInt(200)];
            rnd.nextBytes(junk);
            if (round % 3 == 0 && junk.length >= 8) {
                // keep a valid magic so the lengths and counts behind it get exercised
                Unpooled.wrappedBuffer(junk).setIndex(0, 0).writeInt(round % 2 == 1 ? NbdProtocol.REQUEST_MAGIC : 1);
            }
            try {
                c.writeInbound(Unpooled.wrappedBuffer(junk));
            } catch (DecoderException e) {
                assertInstanceOf(NbdProtocolException.class, e.getCause(), "round " + round);
            }
            Object m;
            while ((m = c.readInbound()) != null) {
                if (m instanceof NbdRequest r && r.data() != null) {
                    r.data().release();
                }
            }
            c.finishAndReleaseAll();
        }
    }
}
