package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BioException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The transmission phase of one connection: each request becomes a bio on the mapped device,
 * submitted at once (requests are pipelined); replies go out in completion order. Buffers come
 * from the pooled allocator and reach the device as ByteBuffer views: a READ's buffer becomes the
 * reply's payload, a WRITE's payload is a view of the received bytes. Aligned WRITEs that arrive in
 * one read batch at consecutive offsets become one vectored bio (as the block layer merges a plug's
 * requests): one hand-off to the device and one pwritev for all of them, each still replied to on its
 * own. Every buffer is released exactly once, by {@link Pending#finish}. All state here is touched only
 * on the channel's event loop.
 */
final class NbdTransmissionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(NbdTransmissionHandler.class);
    private static final int PAUSE_REQUESTS = 256;
    private static final long PAUSE_BYTES = 128L << 20;
    private static final long FORCED_CLOSE_MS = 1000;
    /**
     * Room left in front of a READ's data for the reply header, so header and data go out as one buffer;
     * a whole sector, so the data stays as aligned as the buffer (O_DIRECT devices read into it in place).
     */
    static final int READ_HEADROOM = 512;
    /** The most bytes merged into one bio. */
    private static final long MERGE_MAX = 8L << 20;

    private final NbdServer server;
    private final ExportState export;
    private final MappedDevice md;
    private final NbdClientDecoder decoder;
    private final boolean structured;
    private final int contextId;
    private ChannelHandlerContext ctx;
    private EventLoop loop;
    private int inflight;
    private long inflightBytes;
    private boolean paused;
    private boolean closing;
    private boolean inactive;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushNow;
    /** Aligned WRITEs received back to back at consecutive offsets, not submitted yet. */
    private final java.util.ArrayList<NbdRequest> run = new java.util.ArrayList<>();
    private long runEnd;
    private long runBytes;

    NbdTransmissionHandler(NbdServer server, ExportState export, NbdClientDecoder decoder, boolean structured,
                           int contextId) {
        this.server = server;
        this.export = export;
        this.md = export.device();
        this.decoder = decoder;
        this.structured = structured;
        this.contextId = contextId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case NbdRequest r -> request(r);
            case RefusedRequest r -> {
                server.stats().refused();
                reply(r.type(), r.cookie(), r.error(), r.message());
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        submitRun();
        ctx.fireChannelReadComplete();
    }

    private void request(NbdRequest r) {
        if (r.type() != NbdProtocol.CMD_WRITE) {
            submitRun();
        }
        if (closing) {
            release(r.data());
            reply(r.type(), r.cookie(), NbdProtocol.ESHUTDOWN, "export " + md.dmName() + " is shutting down");
            return;
        }
        BioOp op = switch (r.type()) {
            case NbdProtocol.CMD_READ -> BioOp.READ;
            case NbdProtocol.CMD_WRITE -> BioOp.WRITE;
            case NbdProtocol.CMD_FLUSH -> BioOp.FLUSH;
            case NbdProtocol.CMD_TRIM -> BioOp.DISCARD;
            case NbdProtocol.CMD_WRITE_ZEROES -> BioOp.WRITE_ZEROES;
            default -> null;
        };
        if (op != null) {
            server.stats().request(op);
        }
        switch (r.type()) {
            case NbdProtocol.CMD_READ -> read(r);
            case NbdProtocol.CMD_WRITE -> write(r);
            case NbdProtocol.CMD_FLUSH -> submit(r, md.submit(Bio.flush()));
            case NbdProtocol.CMD_TRIM -> trim(r);
            case NbdProtocol.CMD_WRITE_ZEROES -> writeZeroes(r);
            case NbdProtocol.CMD_CACHE -> cache(r);
            case NbdProtocol.CMD_BLOCK_STATUS -> blockStatus(r);
            case NbdProtocol.CMD_DISC -> disconnect();
            default -> reply(r.type(), r.cookie(), NbdProtocol.EINVAL, "unknown command " + r.type());
        }
    }

    /** Checks a request's range; replies and returns false when it is out of bounds. */
    private boolean inRange(NbdRequest r, int error) {
        long size = md.sizeSectors() << Bio.SECTOR_SHIFT;
        if (r.length() == 0) {
            reply(r.type(), r.cookie(), NbdProtocol.EINVAL, NbdProtocol.commandName(r.type()) + " of zero bytes");
            return false;
        }
        if (r.offset() < 0 || r.offset() > size || r.length() > size - r.offset()) {
            reply(r.type(), r.cookie(), error, NbdProtocol.commandName(r.type()) + " of " + r.length()
                    + " bytes at " + Long.toUnsignedString(r.offset()) + " is beyond the export size " + size);
            return false;
        }
        return true;
    }

    private boolean writable(NbdRequest r) {
        if (md.readOnly()) {
            release(r.data());
            reply(r.type(), r.cookie(), NbdProtocol.EPERM, "export " + md.dmName() + " is read-only");
            return false;
        }
        return true;
    }

    private void read(NbdRequest r) {
        if (r.length() > NbdProtocol.MAX_PAYLOAD) {
            reply(r.type(), r.cookie(), NbdProtocol.EOVERFLOW, "read of " + r.length() + " bytes exceeds " + NbdProtocol.MAX_PAYLOAD);
            return;
        }
        if (!inRange(r, NbdProtocol.EINVAL)) {
            return;
        }
        int len = (int) r.length();
        long start = UnalignedIo.alignDown(r.offset());
        int n = (int) (UnalignedIo.alignUp(r.offset() + len) - start);
        ByteBuf buf = ctx.alloc().directBuffer(READ_HEADROOM + n);
        Pending p = new Pending(r, buf);
        CompletableFuture<Void> f;
        try {
            f = md.submit(Bio.read(start >>> Bio.SECTOR_SHIFT, buf.nioBuffer(READ_HEADROOM, n)));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        int at = READ_HEADROOM + (int) (r.offset() - start);
        buf.setIndex(at, at + len);
        track(p, f);
    }

    private void write(NbdRequest r) {
        ByteBuf data = r.data();
        if (!writable(r)) {
            return;
        }
        if (!inRange(r, NbdProtocol.ENOSPC)) {
            release(data);
            return;
        }
        int len = (int) r.length();
        if (!UnalignedIo.aligned(r.offset(), len)) {
            submitRun();
            int flags = r.has(NbdProtocol.CMD_FLAG_FUA) ? Bio.FUA : 0;
            CompletableFuture<Void> f;
            try {
                f = UnalignedIo.write(export, ctx.alloc(), r.offset(), data, len, flags);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            track(new Pending(r, data), f);
            return;
        }
        if (!run.isEmpty() && (r.offset() != runEnd || runBytes + len > MERGE_MAX)) {
            submitRun();
        }
        run.add(r);
        runEnd = r.offset() + len;
        runBytes += len;
    }

    /** Submits the WRITEs held in {@link #run}: one bio for all where the device takes vectored bios. */
    private void submitRun() {
        int n = run.size();
        if (n == 0) {
            return;
        }
        if (n == 1 || !md.acceptsSegments()) {
            for (NbdRequest r : run) {
                int flags = r.has(NbdProtocol.CMD_FLAG_FUA) ? Bio.FUA : 0;
                ByteBuf data = r.data();
                submitWrite(r, () -> md.submit(Bio.write(r.offset() >>> Bio.SECTOR_SHIFT,
                        data.nioBuffer(data.readerIndex(), (int) r.length()), flags)));
            }
        } else {
            java.nio.ByteBuffer[] bufs = new java.nio.ByteBuffer[n];
            int flags = 0;
            for (int i = 0; i < n; i++) {
                NbdRequest r = run.get(i);
                bufs[i] = r.data().nioBuffer(r.data().readerIndex(), (int) r.length());
                if (r.has(NbdProtocol.CMD_FLAG_FUA)) {
                    flags = Bio.FUA; // every merged write then reaches stable storage: more than asked, never less
                }
            }
            int f = flags;
            CompletableFuture<Void> done = submitted(() -> md.submit(Bio.writev(run.get(0).offset() >>> Bio.SECTOR_SHIFT, f, bufs)));
            for (NbdRequest r : run) {
                track(new Pending(r, r.data()), done);
            }
        }
        run.clear();
        runBytes = 0;
    }

    private void submitWrite(NbdRequest r, java.util.function.Supplier<CompletableFuture<Void>> bio) {
        track(new Pending(r, r.data()), submitted(bio));
    }

    private static CompletableFuture<Void> submitted(java.util.function.Supplier<CompletableFuture<Void>> bio) {
        try {
            return bio.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void trim(NbdRequest r) {
        if (!writable(r) || !inRange(r, NbdProtocol.EINVAL)) {
            return;
        }
        if (!md.supportsDiscard()) {
            reply(r.type(), r.cookie(), NbdProtocol.EINVAL, "export " + md.dmName() + " does not support trim");
            return;
        }
        // Trim is advisory: partial sectors at either end are left as they are.
        long start = UnalignedIo.alignUp(r.offset());
        long end = UnalignedIo.alignDown(r.offset() + r.length());
        CompletableFuture<Void> f = end > start
                ? md.submit(Bio.discard(start >>> Bio.SECTOR_SHIFT, end - start))
                : CompletableFuture.completedFuture(null);
        if (r.has(NbdProtocol.CMD_FLAG_FUA)) {
            f = f.thenCompose(v -> md.submit(Bio.flush()));
        }
        submit(r, f);
    }

    private void writeZeroes(NbdRequest r) {
        if (!writable(r) || !inRange(r, NbdProtocol.ENOSPC)) {
            return;
        }
        if (!md.supportsWriteZeroes()) {
            reply(r.type(), r.cookie(), NbdProtocol.EINVAL, "export " + md.dmName() + " does not support write zeroes");
            return;
        }
        int flags = (r.has(NbdProtocol.CMD_FLAG_FUA) ? Bio.FUA : 0)
                | (r.has(NbdProtocol.CMD_FLAG_NO_HOLE) ? Bio.NOUNMAP : 0)
                | (r.has(NbdProtocol.CMD_FLAG_FAST_ZERO) ? Bio.NOFALLBACK : 0);
        CompletableFuture<Void> f;
        try {
            f = UnalignedIo.aligned(r.offset(), r.length())
                    ? md.submit(Bio.writeZeroes(r.offset() >>> Bio.SECTOR_SHIFT, r.length(), flags))
                    : UnalignedIo.writeZeroes(export, ctx.alloc(), r.offset(), r.length(), flags);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        submit(r, f);
    }

    private void cache(NbdRequest r) {
        if (!inRange(r, NbdProtocol.EINVAL)) {
            return;
        }
        submit(r, UnalignedIo.cache(md, ctx.alloc(), r.offset(), r.length()));
    }

    private void blockStatus(NbdRequest r) {
        if (contextId == 0) {
            reply(r.type(), r.cookie(), NbdProtocol.EINVAL, "no metadata context was negotiated");
            return;
        }
        if (!inRange(r, NbdProtocol.EINVAL)) {
            return;
        }
        Pending p = new Pending(r, null);
        track(p, BlockStatusWalk.of(md, r.offset(), r.length(), r.has(NbdProtocol.CMD_FLAG_REQ_ONE)));
    }

    private void submit(NbdRequest r, CompletableFuture<Void> f) {
        track(new Pending(r, null), f);
    }

    private void track(Pending p, CompletableFuture<?> f) {
        inflight++;
        inflightBytes += p.bytes;
        if (!paused && (inflight >= PAUSE_REQUESTS || inflightBytes >= PAUSE_BYTES)) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
        f.whenComplete(p);
    }

    private void done(Pending p) {
        inflight--;
        inflightBytes -= p.bytes;
        if (paused && !closing && inflight <= PAUSE_REQUESTS / 2 && inflightBytes <= PAUSE_BYTES / 2) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
        if (closing && inflight == 0) {
            ctx.flush();
            ctx.close();
        }
    }

    private void reply(int type, long cookie, int error, String message) {
        if (structured && (type == NbdProtocol.CMD_READ || type == NbdProtocol.CMD_BLOCK_STATUS)) {
            send(new ErrorChunk(cookie, error, message));
        } else {
            send(SimpleReply.of(cookie, error));
        }
    }

    private void send(NbdServerMessage m) {
        ctx.write(m, ctx.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        ctx.flush();
    }

    private void disconnect() {
        submitRun();
        closing = true;
        decoder.discardInput();
        if (inflight == 0) {
            ctx.flush();
            ctx.close();
        }
    }

    /** The device is being removed with --force: finish what is in flight (it fails fast now) and go. */
    void shutdown() {
        if (inactive || closing) {
            return;
        }
        LOG.info("NBD export {}: device is being removed, disconnecting client {}", md.dmName(), ctx.channel().remoteAddress());
        disconnect();
        loop.schedule(() -> ctx.close(), FORCED_CLOSE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        for (NbdRequest r : run) {
            release(r.data()); // received, never submitted: nobody is left to reply to
        }
        run.clear();
        server.detach(export, ctx.channel());
        LOG.info("NBD client {} disconnected from export {}", ctx.channel().remoteAddress(), md.dmName());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("NBD client {} on export {}: {}, disconnecting", ctx.channel().remoteAddress(), md.dmName(), cause.toString());
        closing = true;
        decoder.discardInput();
        ctx.close();
    }

    /** Done with a buffer: a WRITE payload's goes back to the connection's payload buffers. Event loop only. */
    private void release(ByteBuf b) {
        if (b != null) {
            decoder.payloads().giveBack(b);
        }
    }

    private static int errno(Throwable t) {
        return switch (BioException.statusOf(t)) {
            case NOTSUPP -> NbdProtocol.ENOTSUP;
            case NOSPC -> NbdProtocol.ENOSPC;
            case RESOURCE -> NbdProtocol.ENOMEM;
            default -> NbdProtocol.EIO;
        };
    }

    /** One request in flight: its completion callback, then the task that replies on the event loop. */
    private final class Pending implements BiConsumer<Object, Throwable>, Runnable {
        private final int type;
        private final long cookie;
        private final long offset;
        private final long bytes;
        private ByteBuf buf;
        private Object result;
        private Throwable failure;

        Pending(NbdRequest r, ByteBuf buf) {
            this.type = r.type();
            this.cookie = r.cookie();
            this.offset = r.offset();
            this.bytes = buf == null ? 0 : buf.capacity();
            this.buf = buf;
        }

        @Override
        public void accept(Object value, Throwable ex) {
            result = value;
            failure = ex;
            if (loop.inEventLoop()) {
                run();
                return;
            }
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                if (buf != null) {
                    buf.release(); // the server is stopping: nobody will read the reply (not on the loop: not given back)
                    buf = null;
                }
            }
        }

        @Override
        public void run() {
            finish();
            done(this);
        }

        private void finish() {
            ByteBuf b = buf;
            buf = null;
            if (inactive) {
                release(b);
                return;
            }
            if (failure != null) {
                release(b);
                reply(type, cookie, errno(failure), BioException.of(failure).getMessage());
                return;
            }
            switch (type) {
                case NbdProtocol.CMD_READ -> send(structured ? new OffsetDataChunk(cookie, offset, b)
                        : new SimpleReply(cookie, 0, b));
                case NbdProtocol.CMD_BLOCK_STATUS -> {
                    @SuppressWarnings("unchecked")
                    List<BlockStatusChunk.Descriptor> d = (List<BlockStatusChunk.Descriptor>) result;
                    send(new BlockStatusChunk(cookie, contextId, d));
                }
                default -> {
                    release(b);
                    send(SimpleReply.of(cookie, 0));
                }
            }
        }
    }
}
