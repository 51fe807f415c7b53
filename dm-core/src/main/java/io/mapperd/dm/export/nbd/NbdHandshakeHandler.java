package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The fixed newstyle handshake: greets, takes options, and on GO or EXPORT_NAME of a known export
 * opens the device and hands the connection to {@link NbdTransmissionHandler}. A client that does
 * not finish the handshake in time is disconnected.
 */
final class NbdHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(NbdHandshakeHandler.class);
    private static final int BASE_ALLOCATION_ID = 1;

    private final NbdServer server;
    private final NbdClientDecoder decoder;
    private boolean flagsSeen;
    private boolean noZeroes;
    private boolean structured;
    private String metaContextExport;
    private boolean baseAllocation;
    private ScheduledFuture<?> timeout;

    NbdHandshakeHandler(NbdServer server, NbdClientDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new ServerGreeting(NbdProtocol.FLAG_FIXED_NEWSTYLE | NbdProtocol.FLAG_NO_ZEROES));
        long ms = server.config().handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            LOG.info("NBD client {}: handshake not finished in {} ms, disconnecting", ctx.channel().remoteAddress(), ms);
            ctx.close();
        }, ms, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ClientFlags f) {
                clientFlags(ctx, f);
            } else if (!flagsSeen) {
                ctx.close();
            } else {
                option(ctx, msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void clientFlags(ChannelHandlerContext ctx, ClientFlags f) {
        if (f.unknownBits() != 0) {
            LOG.info("NBD client {}: unknown client flags 0x{}, disconnecting", ctx.channel().remoteAddress(),
                    Integer.toHexString(f.flags()));
            close(ctx);
            return;
        }
        flagsSeen = true;
        noZeroes = f.noZeroes();
    }

    private void option(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case ExportNameOption o -> exportName(ctx, o);
            case ListOption o -> {
                for (String name : server.exportNames()) {
                    ctx.write(OptionReply.server(name, ""));
                }
                ctx.writeAndFlush(OptionReply.ack(NbdProtocol.OPT_LIST));
            }
            case AbortOption o -> {
                decoder.discardInput();
                ctx.writeAndFlush(OptionReply.ack(NbdProtocol.OPT_ABORT)).addListener(ChannelFutureListener.CLOSE);
            }
            case StructuredReplyOption o -> {
                structured = true;
                ctx.writeAndFlush(OptionReply.ack(NbdProtocol.OPT_STRUCTURED_REPLY));
            }
            case InfoOption o -> info(ctx, o);
            case MetaContextOption o -> metaContext(ctx, o);
            case RejectedOption o -> {
                if (o.option() == NbdProtocol.OPT_EXPORT_NAME) {
                    // EXPORT_NAME has no error reply: the protocol's answer is a disconnect.
                    close(ctx);
                } else {
                    ctx.writeAndFlush(OptionReply.error(o.option(), o.error(), o.message()));
                }
            }
            default -> close(ctx);
        }
    }

    private void exportName(ChannelHandlerContext ctx, ExportNameOption o) {
        MappedDevice md = server.lookup(o.name());
        if (md == null || md.activeTable() == null) {
            LOG.info("NBD client {}: NBD_OPT_EXPORT_NAME {}: no such export, disconnecting",
                    ctx.channel().remoteAddress(), o.name());
            close(ctx);
            return;
        }
        int flags = ExportFlags.of(md, structured);
        ctx.writeAndFlush(new ExportNameReply(md.sizeSectors() << 9, flags, !noZeroes));
        transmit(ctx, md, o.name());
    }

    private void info(ChannelHandlerContext ctx, InfoOption o) {
        int opt = o.option();
        MappedDevice md = server.lookup(o.name());
        if (md == null) {
            ctx.writeAndFlush(OptionReply.error(opt, NbdProtocol.REP_ERR_UNKNOWN, "no export named '" + o.name() + "'"));
            return;
        }
        if (md.activeTable() == null) {
            ctx.writeAndFlush(OptionReply.error(opt, NbdProtocol.REP_ERR_UNKNOWN,
                    "device " + o.name() + " has no live table"));
            return;
        }
        if (!o.name().equals(metaContextExport)) {
            baseAllocation = false; // contexts were negotiated for another export
        }
        int flags = ExportFlags.of(md, structured);
        ctx.write(OptionReply.infoExport(opt, md.sizeSectors() << 9, flags));
        for (int req : o.requests()) {
            switch (req) {
                case NbdProtocol.INFO_NAME -> ctx.write(OptionReply.infoText(opt, NbdProtocol.INFO_NAME, md.dmName()));
                case NbdProtocol.INFO_DESCRIPTION -> ctx.write(OptionReply.infoText(opt, NbdProtocol.INFO_DESCRIPTION,
                        "device-mapper device " + md.dmName() + " (" + md.devT() + ")"));
                default -> {
                    // NBD_INFO_EXPORT and BLOCK_SIZE are always sent; unknown types are ignored.
                }
            }
        }
        ctx.write(OptionReply.infoBlockSize(opt, 1, 4096, NbdProtocol.MAX_PAYLOAD));
        ctx.writeAndFlush(OptionReply.ack(opt));
        if (o.go()) {
            transmit(ctx, md, o.name());
        }
    }

    private void metaContext(ChannelHandlerContext ctx, MetaContextOption o) {
        int opt = o.option();
        if (o.set() && !structured) {
            ctx.writeAndFlush(OptionReply.error(opt, NbdProtocol.REP_ERR_INVALID,
                    "NBD_OPT_SET_META_CONTEXT needs NBD_OPT_STRUCTURED_REPLY first"));
            return;
        }
        if (server.lookup(o.exportName()) == null) {
            ctx.writeAndFlush(OptionReply.error(opt, NbdProtocol.REP_ERR_UNKNOWN, "no export named '" + o.exportName() + "'"));
            return;
        }
        boolean wantAllocation = false;
        if (o.queries().isEmpty()) {
            wantAllocation = !o.set(); // LIST with no query lists everything; SET with none selects nothing
        }
        for (String q : o.queries()) {
            if (q.equals(NbdProtocol.BASE_ALLOCATION) || (!o.set() && q.equals("base:"))) {
                wantAllocation = true;
            }
        }
        if (o.set()) {
            metaContextExport = o.exportName();
            baseAllocation = wantAllocation;
        }
        if (wantAllocation) {
            ctx.write(OptionReply.metaContext(opt, o.set() ? BASE_ALLOCATION_ID : 0, NbdProtocol.BASE_ALLOCATION));
        }
        ctx.writeAndFlush(OptionReply.ack(opt));
    }

    private void transmit(ChannelHandlerContext ctx, MappedDevice md, String name) {
        ExportState state = server.attach(md, name, ctx.channel());
        if (state == null) {
            LOG.info("NBD client {}: export {} went away during the handshake", ctx.channel().remoteAddress(), name);
            close(ctx);
            return;
        }
        cancelTimeout();
        int contextId = baseAllocation && name.equals(metaContextExport) ? BASE_ALLOCATION_ID : 0;
        NbdTransmissionHandler next = new NbdTransmissionHandler(server, state, decoder, structured, contextId);
        ctx.pipeline().replace(this, "nbd-transmission", next);
        decoder.enterTransmission();
        LOG.info("NBD client {} connected to export {}", ctx.channel().remoteAddress(), name);
    }

    private void close(ChannelHandlerContext ctx) {
        decoder.discardInput();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("NBD client {}: {} during the handshake, disconnecting", ctx.channel().remoteAddress(), cause.toString());
        close(ctx);
    }
}
