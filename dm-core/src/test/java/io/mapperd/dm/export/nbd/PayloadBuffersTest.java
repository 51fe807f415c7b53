package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class PayloadBuffersTest {
    private final PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);

    @Test
    void aLargePayloadBufferIsKeptForTheNextPayloadOfItsSize() {
        PayloadBuffers p = new PayloadBuffers();
        ByteBuf a = p.take(alloc, 1 << 20);
        assertEquals(1 << 20, a.capacity());
        assertEquals(1 << 20, a.maxCapacity(), "the decoder fills it to its capacity: never larger than the payload");
        a.writeZero(1 << 20);
        p.giveBack(a);
        assertEquals(1, a.refCnt(), "kept, not released");
        ByteBuf b = p.take(alloc, 1 << 20);
        assertSame(a, b);
        assertEquals(0, b.readableBytes(), "handed out empty");
        ByteBuf c = p.take(alloc, 2 << 20);
        assertNotSame(a, c, "another size gets its own buffer");
        p.giveBack(b);
        p.giveBack(c);
        assertEquals(2, p.keptCount());
        p.close();
        assertEquals(0, b.refCnt());
        assertEquals(0, c.refCnt());
    }

    @Test
    void buffersItDidNotHandOutAreReleased() {
        PayloadBuffers p = new PayloadBuffers();
        ByteBuf foreign = alloc.directBuffer(1 << 20, 1 << 20);
        p.giveBack(foreign);
        assertEquals(0, foreign.refCnt());
        ByteBuf small = p.take(alloc, 4096);
        p.giveBack(small);
        assertEquals(0, small.refCnt(), "small payloads go back to the pool");
        assertEquals(0, p.keptCount());
    }

    @Test
    void keepsAtMostItsLimitAndNothingAfterClose() {
        PayloadBuffers p = new PayloadBuffers();
        int size = 8 << 20;
        ByteBuf[] out = new ByteBuf[6];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.take(alloc, size);
        }
        for (ByteBuf b : out) {
            p.giveBack(b);
        }
        assertEquals(PayloadBuffers.MAX_KEPT_BYTES / size, p.keptCount());
        ByteBuf late = p.take(alloc, size);
        p.close();
        p.giveBack(late);
        assertEquals(0, late.refCnt(), "given back after the connection closed: released");
        for (ByteBuf b : out) {
            assertEquals(0, b.refCnt());
        }
    }
}
