package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;

/**
 * The large WRITE payload buffers of one connection, kept once their write is done for the next
 * payload of the same size. Given back to Netty's pool instead, a payload of a megabyte or more can
 * empty a pool chunk, which is then unmapped, and the next payload maps and faults in fresh memory:
 * page faults and zeroing on the event loop, which also receives every payload. Only buffers handed
 * out here are kept, at most {@link #MAX_KEPT_BYTES}; anything else given back is released. Used on
 * the channel's event loop only.
 */
final class PayloadBuffers {
    /** Payloads smaller than this come from the pool's thread cache, which serves them well. */
    static final int MIN_KEPT = NbdClientDecoder.LARGE_WRITE;
    static final long MAX_KEPT_BYTES = 32L << 20;

    private final ArrayDeque<ByteBuf> kept = new ArrayDeque<>();
    private final Set<ByteBuf> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private long keptBytes;
    private boolean closed;

    /** A buffer of exactly {@code length} bytes for a WRITE payload. */
    ByteBuf take(ByteBufAllocator alloc, int length) {
        if (length < MIN_KEPT || closed) {
            return alloc.directBuffer(length, length);
        }
        ByteBuf b = null;
        for (Iterator<ByteBuf> it = kept.iterator(); it.hasNext(); ) {
            ByteBuf k = it.next();
            if (k.capacity() == length) {
                it.remove();
                keptBytes -= length;
                b = k.clear();
                break;
            }
        }
        if (b == null) {
            b = alloc.directBuffer(length, length);
        }
        lent.add(b);
        return b;
    }

    /** Takes back any buffer the connection is done with: a payload buffer from here is kept, the rest released. */
    void giveBack(ByteBuf b) {
        if (!lent.remove(b) || closed || b.refCnt() != 1) {
            b.release();
            return;
        }
        int size = b.capacity();
        while (keptBytes + size > MAX_KEPT_BYTES && !kept.isEmpty()) {
            ByteBuf oldest = kept.removeLast();
            keptBytes -= oldest.capacity();
            oldest.release();
        }
        if (keptBytes + size > MAX_KEPT_BYTES) {
            b.release();
            return;
        }
        kept.addFirst(b);
        keptBytes += size;
    }

    /** The connection is gone: what is kept goes back to the pool; buffers still out are released when given back. */
    void close() {
        closed = true;
        lent.clear();
        for (ByteBuf b : kept) {
            b.release();
        }
        kept.clear();
        keptBytes = 0;
    }

    int keptCount() {
        return kept.size();
    }
}
