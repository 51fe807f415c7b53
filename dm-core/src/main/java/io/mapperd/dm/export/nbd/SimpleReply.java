package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;

/** A simple reply: error (0 for success) and, for a successful READ, the data (released by the encoder). */
public record SimpleReply(long cookie, int error, ByteBuf data) implements NbdServerMessage {
    public static SimpleReply of(long cookie, int error) {
        return new SimpleReply(cookie, error, null);
    }
}
