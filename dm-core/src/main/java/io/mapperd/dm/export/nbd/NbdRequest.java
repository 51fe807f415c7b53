package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;

/**
 * One transmission request. {@code data} is the WRITE payload (a retained view of the received
 * bytes, released by whoever consumes the request), null for every other command.
 */
public record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf data) {
    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return NbdProtocol.commandName(type) + " " + offset + "+" + length + " cookie " + cookie
                + (flags != 0 ? " flags " + flags : "");
    }
}
