package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;

/** NBD_REPLY_TYPE_OFFSET_DATA with the DONE flag: a whole READ's data (released by the encoder). */
public record OffsetDataChunk(long cookie, long offset, ByteBuf data) implements NbdServerMessage {
}
