package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.EventLoops;
import io.mapperd.transport.nvmetcp.pdu.C2HData;
import io.mapperd.transport.nvmetcp.pdu.CapsuleCommand;
import io.mapperd.transport.nvmetcp.pdu.CapsuleResponse;
import io.mapperd.transport.nvmetcp.pdu.Cqe;
import io.mapperd.transport.nvmetcp.pdu.H2CData;
import io.mapperd.transport.nvmetcp.pdu.IcReq;
import io.mapperd.transport.nvmetcp.pdu.IcResp;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPdu;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPduDecoder;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpPduEncoder;
import io.mapperd.transport.nvmetcp.pdu.NvmeTcpProtocolException;
import io.mapperd.transport.nvmetcp.pdu.R2T;
import io.mapperd.transport.nvmetcp.pdu.Sqe;
import io.mapperd.transport.nvmetcp.pdu.TermReq;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One NVMe/TCP queue: a TCP connection carrying one submission/completion queue pair. It owns the
 * command identifiers, moves write data on R2Ts, places read data, times commands out, and fails
 * every outstanding command as a transport error when the connection goes. All state lives on the
 * channel's event loop.
 */
final class NvmeTcpQueue {
    private static final Logger log = LoggerFactory.getLogger(NvmeTcpQueue.class);
    /** The largest read data a controller may send in one PDU. */
    static final long MAX_C2H_DATA = 16L << 20;

    private static final class Command {
        final Sqe sqe;
        final ByteBuf out;
        final ByteBuffer in;
        final long timeoutNanos;
        final String what;
        final CompletableFuture<Cqe> future = new CompletableFuture<>();
        int cid;
        long received;
        boolean released;
        ScheduledFuture<?> timer;

        Command(Sqe sqe, ByteBuf out, ByteBuffer in, long timeoutNanos, String what) {
            this.sqe = sqe;
            this.out = out;
            this.in = in;
            this.timeoutNanos = timeoutNanos;
            this.what = what;
        }

        long length() {
            return out != null ? out.readableBytes() : in != null ? in.remaining() : 0;
        }
    }

    final int qid;
    final String label;
    private final Channel ch;
    private final EventLoop loop;
    private final NvmeTcpPduDecoder decoder;
    private final NvmeTcpPduEncoder encoder;
    private final Command[] slots;
    private final int[] free;
    private int freeTop;
    private final ArrayDeque<Command> waiting = new ArrayDeque<>();
    private final CompletableFuture<IcResp> icDone = new CompletableFuture<>();
    private final NvmeTcpOptions options;
    private volatile Consumer<NvmeTcpQueue> onClose = q -> { };
    private int inCapsule;
    private long maxH2cData;
    private volatile boolean closed;
    private volatile String closeReason;

    private NvmeTcpQueue(Channel ch, int qid, int depth, String label, NvmeTcpOptions options, NvmeTcpPduDecoder decoder, NvmeTcpPduEncoder encoder) {
        this.ch = ch;
        this.loop = ch.eventLoop();
        this.qid = qid;
        this.label = label;
        this.options = options;
        this.decoder = decoder;
        this.encoder = encoder;
        this.slots = new Command[depth];
        this.free = new int[depth];
        for (int i = 0; i < depth; i++) {
            free[i] = depth - 1 - i;
        }
        this.freeTop = depth;
        this.inCapsule = qid == 0 ? NvmeOpcodes.ADMIN_IN_CAPSULE : 0;
    }

    /**
     * Connects and exchanges ICReq/ICResp. {@code depth} is how many commands may be outstanding.
     */
    static CompletableFuture<NvmeTcpQueue> open(InetSocketAddress addr, String subnqn, int qid, int depth, NvmeTcpOptions options) {
        CompletableFuture<NvmeTcpQueue> result = new CompletableFuture<>();
        String label = addr.getHostString() + ":" + addr.getPort() + " queue " + qid;
        NvmeTcpPduDecoder decoder = new NvmeTcpPduDecoder(true, MAX_C2H_DATA);
        NvmeTcpPduEncoder encoder = new NvmeTcpPduEncoder();
        NvmeTcpQueue[] holder = new NvmeTcpQueue[1];
        // queue N of every controller of a subsystem on one loop, as the kernel runs them on CPU N
        Bootstrap b = new Bootstrap().group(EventLoops.loopFor(NvmeTcpTransport.eventLoops(), subnqn + " queue " + qid))
                .channel(EventLoops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        NvmeTcpQueue q = new NvmeTcpQueue(c, qid, depth, label, options, decoder, encoder);
                        holder[0] = q;
                        c.pipeline().addLast(new FlushConsolidationHandler(256, true), decoder, encoder, q.new Handler());
                    }
                });
        b.connect(addr).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new BioException(BlkStatus.TRANSPORT, label + ": connect failed: " + f.cause().getMessage(), f.cause()));
                return;
            }
            NvmeTcpQueue q = holder[0];
            ScheduledFuture<?> t = q.loop.schedule(() -> {
                q.icDone.completeExceptionally(new BioException(BlkStatus.TIMEOUT, label + ": no ICResp within " + options.connectTimeout().toMillis() + " ms"));
                q.ch.close();
            }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            q.icDone.whenComplete((r, e) -> {
                t.cancel(false);
                if (e != null) {
                    q.ch.close();
                    result.completeExceptionally(e);
                } else {
                    result.complete(q);
                }
            });
            q.ch.writeAndFlush(new IcReq(0, 0, options.headerDigest(), options.dataDigest(), 0));
        });
        return result;
    }

    void onClose(Consumer<NvmeTcpQueue> c) {
        this.onClose = c;
        if (closed) {
            c.accept(this);
        }
    }

    /** In-capsule data this queue's controller takes (from IOCCSZ); the admin queue always takes 8 KiB. */
    void setInCapsule(int bytes) {
        loop.execute(() -> inCapsule = bytes);
    }

    /** Whether the calling thread is this queue's event loop. */
    boolean inEventLoop() {
        return loop.inEventLoop();
    }

    boolean isOpen() {
        return !closed;
    }

    String closeReason() {
        return closeReason;
    }

    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ch.close();
    }

    /**
     * Sends a command. {@code out} (write data, released when done) or {@code in} (where read
     * data goes) or neither; {@code timeoutNanos} zero for none. The future fails with a
     * {@link BioException} for transport failures and timeouts; NVMe statuses come in the Cqe.
     */
    CompletableFuture<Cqe> submit(Sqe sqe, ByteBuf out, ByteBuffer in, long timeoutNanos, String what) {
        Command c = new Command(sqe, out, in, timeoutNanos, what);
        if (loop.inEventLoop()) {
            start(c);
        } else {
            loop.execute(() -> start(c));
        }
        return c.future;
    }

    private void start(Command c) {
        if (closed) {
            fail(c, new BioException(BlkStatus.TRANSPORT, label + ": " + reason()));
            return;
        }
        if (freeTop == 0) {
            waiting.add(c);
            return;
        }
        int cid = free[--freeTop];
        c.cid = cid;
        slots[cid] = c;
        Sqe s = c.sqe.withCid(cid);
        ByteBuf capsuleData = Unpooled.EMPTY_BUFFER;
        if (c.out != null) {
            int len = c.out.readableBytes();
            boolean connect = c.sqe.opcode() == NvmeOpcodes.FABRICS && c.sqe.fctype() == NvmeOpcodes.FCTYPE_CONNECT;
            if (len <= inCapsule || connect) { // Connect data always travels in the capsule
                s = s.withSgl(Sqe.SGL_IN_CAPSULE, 0, len);
                capsuleData = c.out.retainedSlice();
            } else {
                s = s.withSgl(Sqe.SGL_TRANSPORT, 0, len);
            }
        } else {
            s = s.withSgl(Sqe.SGL_TRANSPORT, 0, c.in != null ? c.in.remaining() : 0);
        }
        if (c.timeoutNanos > 0) {
            c.timer = loop.schedule(() -> timedOut(c), c.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ch.writeAndFlush(new CapsuleCommand(s, capsuleData), ch.voidPromise());
    }

    private void timedOut(Command c) {
        if (slots[c.cid] != c) {
            return;
        }
        slots[c.cid] = null;
        String msg = label + ": " + c.what + " (command id " + c.cid + ") timed out after " + TimeUnit.NANOSECONDS.toMillis(c.timeoutNanos) + " ms";
        closeReason = msg;
        fail(c, new BioException(BlkStatus.TIMEOUT, msg));
        onClose.accept(this);
        ch.close();
    }

    private void complete(Command c, Cqe cqe) {
        slots[c.cid] = null;
        free[freeTop++] = c.cid;
        if (c.timer != null) {
            c.timer.cancel(false);
        }
        if (c.out != null) {
            c.out.release();
            c.released = true;
        }
        if (cqe != null) {
            c.future.complete(cqe);
        }
        Command next = waiting.poll();
        if (next != null) {
            start(next);
        }
    }

    private void fail(Command c, BioException e) {
        if (c.timer != null) {
            c.timer.cancel(false);
        }
        if (c.out != null && !c.released) {
            c.out.release();
            c.released = true;
        }
        c.future.completeExceptionally(e);
    }

    private String reason() {
        return closeReason != null ? closeReason : "connection closed";
    }

    private Command lookup(int cid, String pdu) {
        Command c = cid < slots.length ? slots[cid] : null;
        if (c == null) {
            throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 8, pdu + " for unknown command id " + cid);
        }
        return c;
    }

    private final class Handler extends SimpleChannelInboundHandler<NvmeTcpPdu> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, NvmeTcpPdu pdu) {
            switch (pdu) {
                case IcResp r -> icResp(r);
                case CapsuleResponse r -> {
                    requireIc(pdu);
                    Command c = lookup(r.cqe().cid(), "response");
                    if (r.cqe().ok() && c.in != null && c.received != c.in.remaining()) {
                        // success without all the data: never hand stale buffer contents up as read data
                        complete(c, null);
                        fail(c, new BioException(BlkStatus.TRANSPORT, label + ": " + c.what + " (command id " + c.cid + ") completed after "
                                + c.received + " of " + c.in.remaining() + " bytes"));
                    } else {
                        complete(c, r.cqe());
                    }
                }
                case C2HData d -> {
                    requireIc(pdu);
                    c2hData(d);
                }
                case R2T r -> {
                    requireIc(pdu);
                    r2t(r);
                }
                case TermReq t -> {
                    closeReason = "controller terminated the connection: " + TermReq.describe(t.fes()) + " (FEI " + t.fei() + ")";
                    ch.close();
                }
                default -> throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 0, "unexpected " + pdu.type() + " PDU");
            }
        }

        private void requireIc(NvmeTcpPdu pdu) {
            if (!icDone.isDone()) {
                throw new NvmeTcpProtocolException(TermReq.FES_PDU_SEQUENCE_ERROR, 0, pdu.type() + " PDU before ICResp");
            }
        }

        private void icResp(IcResp r) {
            if (icDone.isDone()) {
                throw new NvmeTcpProtocolException(TermReq.FES_PDU_SEQUENCE_ERROR, 0, "second ICResp");
            }
            if (r.pfv() != 0) {
                throw new NvmeTcpProtocolException(TermReq.FES_UNSUPPORTED_PARAMETER, 8, "ICResp PDU format version " + r.pfv() + ", expected 0");
            }
            if (r.cpda() > 31) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 10, "ICResp CPDA " + r.cpda() + " above 31");
            }
            if (r.maxH2cData() < 4096 || (r.maxH2cData() & 3) != 0) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 12, "ICResp MAXH2CDATA " + r.maxH2cData() + " is not a multiple of 4 of at least 4096");
            }
            if ((r.headerDigest() && !options.headerDigest()) || (r.dataDigest() && !options.dataDigest())) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 11, "ICResp enables a digest the host did not ask for");
            }
            maxH2cData = r.maxH2cData();
            encoder.setDataAlignment(r.cpda());
            encoder.setDigests(r.headerDigest(), r.dataDigest());
            decoder.setDigests(r.headerDigest(), r.dataDigest());
            icDone.complete(r);
        }

        private void c2hData(C2HData d) {
            Command c = lookup(d.cccid(), "C2HData");
            if (c.in == null) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 8, "C2HData for command id " + c.cid + ", which reads no data");
            }
            int len = d.data().readableBytes();
            if (d.datao() + len > c.in.remaining()) {
                throw new NvmeTcpProtocolException(TermReq.FES_DATA_OUT_OF_RANGE, 12, "C2HData of " + len + " bytes at offset " + d.datao() + " outside a transfer of " + c.in.remaining());
            }
            if (d.success() && !d.last()) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 1, "C2HData with SUCCESS but not LAST_PDU");
            }
            ByteBuffer dst = c.in.duplicate();
            dst.position(c.in.position() + (int) d.datao()).limit(c.in.position() + (int) d.datao() + len);
            d.data().getBytes(d.data().readerIndex(), dst);
            c.received += len;
            if (d.success()) {
                if (c.received != c.in.remaining()) {
                    throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 1, "C2HData with SUCCESS after " + c.received + " of " + c.in.remaining() + " bytes");
                }
                complete(c, Cqe.success(c.cid, 0));
            }
        }

        private void r2t(R2T r) {
            Command c = lookup(r.cccid(), "R2T");
            if (c.out == null) {
                throw new NvmeTcpProtocolException(TermReq.FES_INVALID_HEADER_FIELD, 8, "R2T for command id " + c.cid + ", which writes no data");
            }
            long len = c.out.readableBytes();
            if (r.r2tl() == 0 || r.r2to() + r.r2tl() > len) {
                throw new NvmeTcpProtocolException(TermReq.FES_DATA_OUT_OF_RANGE, 12, "R2T for " + r.r2tl() + " bytes at offset " + r.r2to() + " outside a transfer of " + len);
            }
            long end = r.r2to() + r.r2tl();
            for (long off = r.r2to(); off < end; ) {
                int n = (int) Math.min(maxH2cData, end - off);
                ByteBuf part = c.out.retainedSlice(c.out.readerIndex() + (int) off, n);
                ch.write(new H2CData(c.cid, r.ttag(), off, off + n == end, part), ch.voidPromise());
                off += n;
            }
            ch.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (c instanceof NvmeTcpProtocolException p) {
                closeReason = "protocol error: " + p.getMessage();
                log.warn("{}: {}; terminating the connection", label, closeReason);
                ctx.writeAndFlush(new TermReq(true, p.fes(), p.fei(), Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
                onClose.accept(NvmeTcpQueue.this); // the controller hears the cause before the peer reacts
            } else {
                if (closeReason == null) {
                    closeReason = String.valueOf(c.getMessage());
                }
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
            BioException e = new BioException(BlkStatus.TRANSPORT, label + ": " + reason());
            icDone.completeExceptionally(e);
            for (int i = 0; i < slots.length; i++) {
                Command c = slots[i];
                if (c != null) {
                    slots[i] = null;
                    fail(c, e);
                }
            }
            Command w;
            while ((w = waiting.poll()) != null) {
                fail(w, e);
            }
            onClose.accept(NvmeTcpQueue.this);
        }
    }
}
