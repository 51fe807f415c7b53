package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** A reply to an option: its type (NBD_REP_*) and payload; the encoder writes and releases the payload. */
public record OptionReply(int option, int type, ByteBuf payload) implements NbdServerMessage {
    public static OptionReply ack(int option) {
        return new OptionReply(option, NbdProtocol.REP_ACK, Unpooled.EMPTY_BUFFER);
    }

    /** An error reply; the message is for humans (clients print it). */
    public static OptionReply error(int option, int error, String message) {
        return new OptionReply(option, error, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    }

    /** NBD_REP_SERVER for NBD_OPT_LIST: name length, name, then a description. */
    public static OptionReply server(String name, String description) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(4 + n.length);
        b.writeInt(n.length).writeBytes(n).writeCharSequence(description, StandardCharsets.UTF_8);
        return new OptionReply(NbdProtocol.OPT_LIST, NbdProtocol.REP_SERVER, b);
    }

    /** NBD_REP_INFO with NBD_INFO_EXPORT: size and transmission flags. */
    public static OptionReply infoExport(int option, long size, int transmissionFlags) {
        ByteBuf b = Unpooled.buffer(12).writeShort(NbdProtocol.INFO_EXPORT).writeLong(size).writeShort(transmissionFlags);
        return new OptionReply(option, NbdProtocol.REP_INFO, b);
    }

    /** NBD_REP_INFO with NBD_INFO_NAME or NBD_INFO_DESCRIPTION. */
    public static OptionReply infoText(int option, int infoType, String text) {
        ByteBuf b = Unpooled.buffer().writeShort(infoType);
        b.writeCharSequence(text, StandardCharsets.UTF_8);
        return new OptionReply(option, NbdProtocol.REP_INFO, b);
    }

    /** NBD_REP_INFO with NBD_INFO_BLOCK_SIZE. */
    public static OptionReply infoBlockSize(int option, int minimum, int preferred, int maximum) {
        ByteBuf b = Unpooled.buffer(14).writeShort(NbdProtocol.INFO_BLOCK_SIZE)
                .writeInt(minimum).writeInt(preferred).writeInt(maximum);
        return new OptionReply(option, NbdProtocol.REP_INFO, b);
    }

    /** NBD_REP_META_CONTEXT: a context id and its name. */
    public static OptionReply metaContext(int option, int id, String name) {
        ByteBuf b = Unpooled.buffer().writeInt(id);
        b.writeCharSequence(name, StandardCharsets.UTF_8);
        return new OptionReply(option, NbdProtocol.REP_META_CONTEXT, b);
    }
}
