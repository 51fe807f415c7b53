package io.mapperd.dm.export.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes everything a client sends: the client flags, then options, then (once the handshake
 * handler calls {@link #enterTransmission()}) requests. No length field is trusted: option payloads
 * over {@link NbdProtocol#MAX_OPTION_LENGTH} and WRITE payloads over {@link NbdProtocol#MAX_PAYLOAD}
 * are refused and skipped as they arrive, never buffered; lengths inside options are checked against
 * the option's own length. A wrong magic number throws {@link NbdProtocolException}.
 */
public final class NbdClientDecoder extends ByteToMessageDecoder {
    private static final int OPTION_HEADER = 16;
    private static final int REQUEST_HEADER = 28;
    /** A WRITE at least this large is followed by a header-sized read (see {@link #receiveTarget}). */
    static final int LARGE_WRITE = 64 << 10;

    private enum Phase { CLIENT_FLAGS, OPTIONS, TRANSMISSION, PAYLOAD, SKIP, DISCARD }

    private Phase phase = Phase.CLIENT_FLAGS;
    private Phase afterSkip;
    private long skipRemaining;
    /** A WRITE whose payload is still arriving: received bytes go straight into its own buffer. */
    private NbdRequest filling;
    /** The last request was a WRITE of at least {@link #LARGE_WRITE}: the next may well be one too. */
    private boolean afterLargeWrite;
    private final PayloadBuffers payloads = new PayloadBuffers();

    /** Where buffers of received WRITE payloads come from and go back to. */
    PayloadBuffers payloads() {
        return payloads;
    }

    /** Requests follow from the next byte on (the handshake handler accepted GO or EXPORT_NAME). */
    public void enterTransmission() {
        phase = Phase.TRANSMISSION;
    }

    /** Ignore everything from now on (after ABORT, DISC or a fatal error). */
    public void discardInput() {
        phase = Phase.DISCARD;
    }

    /**
     * Where the channel's next socket read should go, or null for an ordinary receive buffer: the
     * unfilled rest of the WRITE payload that is arriving, when at least {@link #LARGE_WRITE} bytes
     * of it are still to come (a retained slice, so the socket fills the payload buffer itself), or,
     * right after a large WRITE, a buffer for one request header only, so that the next payload is
     * read into its own buffer rather than copied there. Small remainders go through an ordinary
     * buffer, which takes the requests after them in the same read.
     */
    ByteBuf receiveTarget(ByteBufAllocator alloc) {
        if (phase == Phase.PAYLOAD) {
            ByteBuf data = filling.data();
            int rest = data.writableBytes();
            return rest >= LARGE_WRITE ? data.retainedSlice(data.writerIndex(), rest).clear() : null;
        }
        if (phase == Phase.TRANSMISSION && afterLargeWrite && !internalBuffer().isReadable()) {
            return alloc.directBuffer(REQUEST_HEADER, REQUEST_HEADER);
        }
        return null;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (phase) {
            case CLIENT_FLAGS -> {
                if (in.readableBytes() >= 4) {
                    phase = Phase.OPTIONS;
                    out.add(new ClientFlags(in.readInt()));
                }
            }
            case OPTIONS -> decodeOption(in, out);
            case TRANSMISSION -> decodeRequest(ctx, in, out);
            case PAYLOAD -> fill(in, out);
            case SKIP -> skip(in);
            case DISCARD -> in.skipBytes(in.readableBytes());
        }
    }

    private void skip(ByteBuf in) {
        int n = (int) Math.min(in.readableBytes(), skipRemaining);
        in.skipBytes(n);
        skipRemaining -= n;
        if (skipRemaining == 0) {
            phase = afterSkip;
        }
    }

    private void startSkip(ByteBuf in, long bytes, Phase then) {
        afterSkip = then;
        skipRemaining = bytes;
        phase = Phase.SKIP;
        skip(in);
    }

    /** Nothing after a broken frame can be trusted: drop it all, and everything that follows. */
    private NbdProtocolException fail(ByteBuf in, String message) {
        in.skipBytes(in.readableBytes());
        phase = Phase.DISCARD;
        return new NbdProtocolException(message);
    }

    private void decodeOption(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < OPTION_HEADER) {
            return;
        }
        int start = in.readerIndex();
        long magic = in.getLong(start);
        if (magic != NbdProtocol.IHAVEOPT) {
            throw fail(in, String.format("bad option magic 0x%016x", magic));
        }
        int option = in.getInt(start + 8);
        long length = in.getUnsignedInt(start + 12);
        if (length > NbdProtocol.MAX_OPTION_LENGTH) {
            in.skipBytes(OPTION_HEADER);
            out.add(new RejectedOption(option, NbdProtocol.REP_ERR_TOO_BIG,
                    "option " + option + " of " + length + " bytes exceeds " + NbdProtocol.MAX_OPTION_LENGTH));
            startSkip(in, length, Phase.OPTIONS);
            return;
        }
        if (in.readableBytes() < OPTION_HEADER + length) {
            return;
        }
        in.skipBytes(OPTION_HEADER);
        ByteBuf data = in.readSlice((int) length);
        out.add(parseOption(option, data));
    }

    private static Object parseOption(int option, ByteBuf data) {
        int len = data.readableBytes();
        return switch (option) {
            case NbdProtocol.OPT_EXPORT_NAME -> len > NbdProtocol.MAX_STRING
                    ? new RejectedOption(option, NbdProtocol.REP_ERR_TOO_BIG, "export name longer than " + NbdProtocol.MAX_STRING)
                    : new ExportNameOption(data.toString(StandardCharsets.UTF_8));
            case NbdProtocol.OPT_LIST -> len == 0 ? new ListOption() : noData(option, "NBD_OPT_LIST");
            case NbdProtocol.OPT_ABORT -> len == 0 ? new AbortOption() : noData(option, "NBD_OPT_ABORT");
            case NbdProtocol.OPT_STRUCTURED_REPLY -> len == 0 ? new StructuredReplyOption()
                    : noData(option, "NBD_OPT_STRUCTURED_REPLY");
            case NbdProtocol.OPT_INFO, NbdProtocol.OPT_GO -> parseInfo(option, data);
            case NbdProtocol.OPT_LIST_META_CONTEXT, NbdProtocol.OPT_SET_META_CONTEXT -> parseMetaContext(option, data);
            default -> new RejectedOption(option, NbdProtocol.REP_ERR_UNSUP, "option " + option + " is not supported");
        };
    }

    private static RejectedOption noData(int option, String name) {
        return new RejectedOption(option, NbdProtocol.REP_ERR_INVALID, name + " takes no data");
    }

    private static Object parseInfo(int option, ByteBuf data) {
        String what = option == NbdProtocol.OPT_GO ? "NBD_OPT_GO" : "NBD_OPT_INFO";
        String name = readString(data, 2);
        if (name == null) {
            return invalid(option, what + ": export name length exceeds the option");
        }
        int count = data.readUnsignedShort();
        if (data.readableBytes() != 2 * count) {
            return invalid(option, what + ": " + count + " information requests but " + data.readableBytes() + " bytes");
        }
        List<Integer> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(data.readUnsignedShort());
        }
        return new InfoOption(option == NbdProtocol.OPT_GO, name, requests);
    }

    private static Object parseMetaContext(int option, ByteBuf data) {
        String what = option == NbdProtocol.OPT_SET_META_CONTEXT ? "NBD_OPT_SET_META_CONTEXT" : "NBD_OPT_LIST_META_CONTEXT";
        String name = readString(data, 4);
        if (name == null) {
            return invalid(option, what + ": export name length exceeds the option");
        }
        long count = data.readUnsignedInt();
        if (count > data.readableBytes() / 4) {
            return invalid(option, what + ": " + count + " queries cannot fit in " + data.readableBytes() + " bytes");
        }
        List<String> queries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            String q = readString(data, 0);
            if (q == null) {
                return invalid(option, what + ": query " + i + " length exceeds the option");
            }
            queries.add(q);
        }
        if (data.isReadable()) {
            return invalid(option, what + ": " + data.readableBytes() + " bytes after the last query");
        }
        return new MetaContextOption(option == NbdProtocol.OPT_SET_META_CONTEXT, name, queries);
    }

    /** A 32-bit length and that many bytes, leaving at least {@code after} bytes; null if they do not fit. */
    private static String readString(ByteBuf data, int after) {
        if (data.readableBytes() < 4 + after) {
            return null;
        }
        long n = data.readUnsignedInt();
        if (n > NbdProtocol.MAX_STRING || n > data.readableBytes() - after) {
            return null;
        }
        return data.readCharSequence((int) n, StandardCharsets.UTF_8).toString();
    }

    private static RejectedOption invalid(int option, String message) {
        return new RejectedOption(option, NbdProtocol.REP_ERR_INVALID, message);
    }

    private void fill(ByteBuf in, List<Object> out) {
        ByteBuf data = filling.data();
        int n = Math.min(in.readableBytes(), data.writableBytes());
        if (receivedInPlace(in, data)) {
            data.writerIndex(data.writerIndex() + n); // the socket read went into the payload itself
            in.skipBytes(n);
        } else {
            data.writeBytes(in, n);
        }
        if (!data.isWritable()) {
            out.add(filling);
            filling = null;
            phase = Phase.TRANSMISSION;
        }
    }

    /** Whether {@code in}'s readable bytes are the memory right after {@code data}'s written bytes. */
    private static boolean receivedInPlace(ByteBuf in, ByteBuf data) {
        return in.hasMemoryAddress() && data.hasMemoryAddress()
                && in.memoryAddress() + in.readerIndex() == data.memoryAddress() + data.writerIndex();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (filling != null) {
            payloads.giveBack(filling.data());
            filling = null;
        }
        payloads.close();
    }

    private void decodeRequest(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < REQUEST_HEADER) {
            return;
        }
        int start = in.readerIndex();
        int magic = in.getInt(start);
        if (magic != NbdProtocol.REQUEST_MAGIC) {
            throw fail(in, String.format("bad request magic 0x%08x", magic));
        }
        int flags = in.getUnsignedShort(start + 4);
        int type = in.getUnsignedShort(start + 6);
        long cookie = in.getLong(start + 8);
        long offset = in.getLong(start + 16);
        long length = in.getUnsignedInt(start + 24);
        afterLargeWrite = type == NbdProtocol.CMD_WRITE && length >= LARGE_WRITE;
        if (type != NbdProtocol.CMD_WRITE) {
            in.skipBytes(REQUEST_HEADER);
            out.add(new NbdRequest(flags, type, cookie, offset, length, null));
            return;
        }
        if (length > NbdProtocol.MAX_PAYLOAD) {
            in.skipBytes(REQUEST_HEADER);
            out.add(new RefusedRequest(type, cookie, NbdProtocol.EOVERFLOW,
                    "write of " + length + " bytes exceeds " + NbdProtocol.MAX_PAYLOAD));
            startSkip(in, length, Phase.TRANSMISSION);
            return;
        }
        in.skipBytes(REQUEST_HEADER);
        if (in.readableBytes() >= length) {
            // all here already: the payload is a view of the received bytes
            out.add(new NbdRequest(flags, type, cookie, offset, length, in.readRetainedSlice((int) length)));
            return;
        }
        // still arriving: one buffer of exactly its size, filled as bytes come (no growing cumulation)
        filling = new NbdRequest(flags, type, cookie, offset, length, payloads.take(ctx.alloc(), (int) length));
        phase = Phase.PAYLOAD;
        fill(in, out);
    }
}
