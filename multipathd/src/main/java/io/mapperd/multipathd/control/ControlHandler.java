package io.mapperd.multipathd.control;

import io.mapperd.multipathd.command.CommandProcessor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * One control connection: commands run one after another off the event loop (a command may
 * block: suspend drains I/O, wait waits for an event), each reply framed back in order. When the
 * client goes away, the command it is waiting for is interrupted.
 */
public final class ControlHandler extends SimpleChannelInboundHandler<String> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

    private final CommandProcessor processor;
    private final Function<Channel, Peer> peerOf;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("control-", 0).factory());
    private volatile Thread running;
    private Peer peer;

    public ControlHandler(CommandProcessor processor, Function<Channel, Peer> peerOf) {
        this.processor = processor;
        this.peerOf = peerOf;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer = peerOf.apply(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        Peer p = peer != null ? peer : peerOf.apply(ctx.channel());
        worker.execute(() -> {
            running = Thread.currentThread();
            String reply;
            try {
                reply = processor.handle(line, p);
            } catch (RuntimeException e) {
                LOG.warn("command '{}' from {} failed", line, p, e);
                reply = "fail\n" + e + "\n";
            } finally {
                running = null;
                Thread.interrupted();
            }
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(reply);
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
        worker.shutdown();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            LOG.warn("control connection from {}: {}; closing it", peer, cause.getMessage());
        } else {
            LOG.warn("control connection from {} failed", peer, cause);
        }
        ctx.close();
    }
}
