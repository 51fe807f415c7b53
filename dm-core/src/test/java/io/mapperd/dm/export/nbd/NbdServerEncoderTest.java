package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class NbdServerEncoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(NbdServerEncoder.INSTANCE);

    private ByteBuf next() {
        return ch.readOutbound();
    }

    @Test
    void greetingIsMagicOptMagicAndFlags() {
        ch.writeOutbound(new ServerGreeting(3));
        ByteBuf b = next();
        assertEquals(18, b.readableBytes());
        assertEquals(NbdProtocol.NBDMAGIC, b.readLong());
        assertEquals(NbdProtocol.IHAVEOPT, b.readLong());
        assertEquals(3, b.readShort());
        b.release();
    }

    @Test
    void optionReplyCarriesItsPayloadAfterTheHeader() {
        ch.writeOutbound(OptionReply.server("disk", ""));
        ByteBuf h = next();
        assertEquals(NbdProtocol.OPTION_REPLY_MAGIC, h.readLong());
        assertEquals(NbdProtocol.OPT_LIST, h.readInt());
        assertEquals(NbdProtocol.REP_SERVER, h.readInt());
        assertEquals(8, h.readInt());
        ByteBuf p = next();
        assertEquals(4, p.readInt());
        assertEquals("disk", p.toString(StandardCharsets.UTF_8));
        h.release();
        p.release();
    }

    @Test
    void exportNameReplyHasZeroesOnlyWhenAsked() {
        ch.writeOutbound(new ExportNameReply(1 << 20, 1, true));
        ByteBuf b = next();
        assertEquals(134, b.readableBytes());
        b.release();
        ch.writeOutbound(new ExportNameReply(1 << 20, 1, false));
        b = next();
        assertEquals(1 << 20, b.readLong());
        assertEquals(1, b.readShort());
        assertEquals(0, b.readableBytes());
        b.release();
    }

    @Test
    void readDataFollowsTheHeaderUncopied() {
        ByteBuf data = Unpooled.directBuffer(512).writeZero(512);
        ch.writeOutbound(new SimpleReply(77, 0, data));
        ByteBuf h = next();
        assertEquals(NbdProtocol.SIMPLE_REPLY_MAGIC, h.readInt());
        assertEquals(0, h.readInt());
        assertEquals(77, h.readLong());
        assertSame(data, next());
        h.release();
        data.release();

        ByteBuf d2 = Unpooled.directBuffer(1024).writeZero(1024);
        ch.writeOutbound(new OffsetDataChunk(78, 4096, d2));
        h = next();
        assertEquals(NbdProtocol.STRUCTURED_REPLY_MAGIC, h.readInt());
        assertEquals(NbdProtocol.REPLY_FLAG_DONE, h.readShort());
        assertEquals(NbdProtocol.REPLY_TYPE_OFFSET_DATA, h.readShort());
        assertEquals(78, h.readLong());
        assertEquals(8 + 1024, h.readInt());
        assertEquals(4096, h.readLong());
        assertSame(d2, next());
        h.release();
        d2.release();
    }

    /** With room in front of the data (as READ leaves it), header and data go out as one buffer, same bytes. */
    @Test
    void readHeaderGoesIntoTheRoomInFrontOfTheData() {
        int room = NbdTransmissionHandler.READ_HEADROOM;
        ByteBuf data = Unpooled.directBuffer(room + 512);
        data.setIndex(room, room + 512);
        for (int i = 0; i < 512; i++) {
            data.setByte(room + i, i);
        }
        ch.writeOutbound(new SimpleReply(77, 0, data));
        ByteBuf b = next();
        assertSame(data, b);
        assertEquals(16 + 512, b.readableBytes());
        assertEquals(NbdProtocol.SIMPLE_REPLY_MAGIC, b.readInt());
        assertEquals(0, b.readInt());
        assertEquals(77, b.readLong());
        for (int i = 0; i < 512; i++) {
            assertEquals((byte) i, b.readByte());
        }
        assertNull(next());
        b.release();

        ByteBuf d2 = Unpooled.directBuffer(room + 1536);
        d2.setIndex(room + 100, room + 100 + 1000); // an unaligned read: the data starts inside the first sector
        ch.writeOutbound(new OffsetDataChunk(78, 4196, d2));
        b = next();
        assertSame(d2, b);
        assertEquals(28 + 1000, b.readableBytes());
        assertEquals(NbdProtocol.STRUCTURED_REPLY_MAGIC, b.readInt());
        assertEquals(NbdProtocol.REPLY_FLAG_DONE, b.readShort());
        assertEquals(NbdProtocol.REPLY_TYPE_OFFSET_DATA, b.readShort());
        assertEquals(78, b.readLong());
        assertEquals(8 + 1000, b.readInt());
        assertEquals(4196, b.readLong());
        assertEquals(1000, b.readableBytes());
        assertNull(next());
        b.release();
    }

    @Test
    void errorAndBlockStatusChunks() {
        ch.writeOutbound(new ErrorChunk(5, NbdProtocol.EIO, "bad"));
        ByteBuf b = next();
        b.skipBytes(4 + 2);
        assertEquals(NbdProtocol.REPLY_TYPE_ERROR, b.readUnsignedShort());
        assertEquals(5, b.readLong());
        assertEquals(6 + 3, b.readInt());
        assertEquals(NbdProtocol.EIO, b.readInt());
        assertEquals(3, b.readShort());
        assertEquals("bad", b.toString(StandardCharsets.UTF_8));
        b.release();

        ch.writeOutbound(new BlockStatusChunk(6, 1, List.of(new BlockStatusChunk.Descriptor(0xffff_fe00L, 3),
                new BlockStatusChunk.Descriptor(512, 0))));
        b = next();
        b.skipBytes(4 + 2);
        assertEquals(NbdProtocol.REPLY_TYPE_BLOCK_STATUS, b.readUnsignedShort());
        assertEquals(6, b.readLong());
        assertEquals(4 + 16, b.readInt());
        assertEquals(1, b.readInt());
        assertEquals(0xffff_fe00L, b.readUnsignedInt());
        assertEquals(3, b.readInt());
        assertEquals(512, b.readInt());
        assertEquals(0, b.readInt());
        b.release();
        assertNull(next());
    }
}
