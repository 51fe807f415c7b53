package io.mapperd.transport.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Field helpers for the basic header segment shared by every PDU file. */
final class Bhs {
    static final int IMMEDIATE = 0x40;
    static final int FINAL = 0x80;

    private Bhs() {
    }

    /**
     * Writes bytes 0-7 (opcode, flags, two opcode-specific bytes, no AHS, data segment length) and
     * reserves bytes 8-47 as zeroes; returns the index of byte 0 for the caller's set calls.
     */
    static int start(ByteBuf out, int opcode, boolean immediate, int byte1, int byte2, int byte3, ByteBuf data) {
        int at = out.writerIndex();
        out.writeByte((immediate ? IMMEDIATE : 0) | (opcode & 0x3f));
        out.writeByte(byte1);
        out.writeByte(byte2);
        out.writeByte(byte3);
        out.writeByte(0);
        out.writeMedium(data.readableBytes());
        out.writeZero(40);
        return at;
    }

    static boolean immediate(ByteBuf bhs) {
        return (bhs.getByte(0) & IMMEDIATE) != 0;
    }

    static int flags(ByteBuf bhs) {
        return bhs.getUnsignedByte(1);
    }

    static boolean isFinal(ByteBuf bhs) {
        return (bhs.getByte(1) & FINAL) != 0;
    }
}
