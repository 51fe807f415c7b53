package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A vectored bio for a table whose targets take single buffers only. That happens when a bio was
 * queued (suspended device) and the table swapped in on resume maps it differently than the one it
 * was sent for: its data goes through one bounce buffer rather than fail.
 */
final class SegmentBounce {
    private SegmentBounce() {
    }

    static CompletableFuture<Void> map(Table t, Bio bio) {
        ByteBuffer bounce = ByteBuffer.allocateDirect((int) bio.bytes());
        if (bio.op() == BioOp.WRITE) {
            for (ByteBuffer b : bio.buffers()) {
                bounce.put(b.duplicate());
            }
            return t.map(Bio.write(bio.sector(), bounce.flip(), bio.flags()));
        }
        return t.map(Bio.read(bio.sector(), bounce).withFlags(bio.flags())).thenRun(() -> {
            ByteBuffer from = bounce.duplicate().clear();
            for (ByteBuffer b : bio.buffers()) {
                ByteBuffer part = from.slice(from.position(), b.remaining());
                b.duplicate().put(part);
                from.position(from.position() + b.remaining());
            }
        });
    }
}
