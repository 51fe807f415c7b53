package io.mapperd.multipathd.control;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends one command over the control socket and returns the reply, as libmpathcmd's client does. */
public final class ControlClient {
    private ControlClient() {
    }

    /**
     * @param timeout how long to wait for the reply; null waits as long as the command takes
     * @throws IOException when the daemon cannot be reached or goes away, naming the address
     */
    public static String request(ControlAddress address, String command, Duration timeout) throws IOException, TimeoutException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CompletableFuture<String> reply = new CompletableFuture<>();
        try {
            Channel ch;
            try {
                ch = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                        .handler(new ChannelInitializer<EpollDomainSocketChannel>() {
                            @Override
                            protected void initChannel(EpollDomainSocketChannel c) {
                                c.pipeline().addLast(new ControlFrameDecoder(Integer.MAX_VALUE - 16), new ControlFrameEncoder(),
                                        new SimpleChannelInboundHandler<String>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, String msg) {
                                                reply.complete(msg);
                                                ctx.close();
                                            }

                                            @Override
                                            public void channelInactive(ChannelHandlerContext ctx) {
                                                reply.completeExceptionally(new IOException(address + ": connection closed before a reply"));
                                            }

                                            @Override
                                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                                reply.completeExceptionally(cause);
                                                ctx.close();
                                            }
                                        });
                            }
                        })
                        .connect(address.netty()).syncUninterruptibly().channel();
            } catch (Exception e) {
                String why = String.valueOf(e.getMessage());
                if (why.contains("Connection refused")) {
                    why = "Connection refused (no daemon listening)";
                } else if (why.contains("No such file")) {
                    why = "No such file or directory (no daemon listening)";
                } else if (why.contains("Permission denied")) {
                    why = "Permission denied";
                }
                throw new IOException("cannot connect to " + address + ": " + why, e);
            }
            ch.writeAndFlush(command);
            try {
                return timeout == null ? reply.get() : reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + address);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof IOException io ? io : new IOException(address + ": " + c.getMessage(), c);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Whether a daemon answers on {@code address}. */
    public static boolean reachable(ControlAddress address) {
        try {
            request(address, "show daemon", Duration.ofSeconds(2));
            return true;
        } catch (IOException | TimeoutException e) {
            return false;
        }
    }
}
