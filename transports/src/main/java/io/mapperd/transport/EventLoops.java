package io.mapperd.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The event loops iSCSI and NVMe/TCP connections run on: epoll where the native library loads, NIO elsewhere. */
public final class EventLoops {
    private static volatile EventLoopGroup shared;

    private EventLoops() {
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Acknowledge at once rather than delay (epoll only): targets that leave Nagle on (tgtd) otherwise
     * hold each small R2T until our delayed ACK, some 40 ms, and writes crawl.
     */
    public static void quickAck(io.netty.bootstrap.Bootstrap b) {
        if (Epoll.isAvailable()) {
            b.option(io.netty.channel.epoll.EpollChannelOption.TCP_QUICKACK, true);
        }
    }

    /** A process-wide group of daemon threads for initiator connections (one per core, at most 4). */
    public static EventLoopGroup initiator() {
        EventLoopGroup g = shared;
        if (g == null) {
            synchronized (EventLoops.class) {
                g = shared;
                if (g == null) {
                    int n = Math.min(4, Runtime.getRuntime().availableProcessors());
                    g = new MultiThreadIoEventLoopGroup(n, Thread.ofPlatform().daemon().name("iscsi-", 0).factory(),
                            ioHandlerFactory());
                    shared = g;
                }
            }
        }
        return g;
    }

    public static EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, Thread.ofPlatform().daemon().name(prefix, 0).factory(),
                ioHandlerFactory());
    }
}
