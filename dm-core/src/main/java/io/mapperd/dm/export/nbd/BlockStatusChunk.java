package io.mapperd.dm.export.nbd;

import java.util.List;

/** NBD_REPLY_TYPE_BLOCK_STATUS with the DONE flag: one context's extents, in order from the offset asked. */
public record BlockStatusChunk(long cookie, int contextId, List<Descriptor> descriptors) implements NbdServerMessage {
    /** One extent: its length in bytes (at most 2^32 - 1) and its NBD_STATE_* flags. */
    public record Descriptor(long length, int flags) {
    }

    public BlockStatusChunk {
        descriptors = List.copyOf(descriptors);
    }
}
