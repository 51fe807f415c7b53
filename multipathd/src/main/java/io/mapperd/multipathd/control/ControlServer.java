package io.mapperd.multipathd.control;

import io.mapperd.multipathd.command.CommandProcessor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket: unix stream sockets (the abstract name and optionally a path) served with
 * Netty's epoll transport, libmpathcmd framing, the peer's credentials from SO_PEERCRED.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final CommandProcessor processor;
    private final List<ControlAddress> addresses;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final List<Channel> listeners = new ArrayList<>();
    private final List<ControlAddress> bound = new ArrayList<>();

    public ControlServer(CommandProcessor processor, List<ControlAddress> addresses) {
        this.processor = processor;
        this.addresses = List.copyOf(addresses);
    }

    /** Binds every address; fails (and binds nothing) if one is taken. */
    public ControlServer start() {
        try {
            for (ControlAddress a : addresses) {
                if (!a.isAbstract()) {
                    removeStaleSocket(a);
                }
                Channel ch = new ServerBootstrap()
                        .group(group)
                        .channel(EpollServerDomainSocketChannel.class)
                        .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                            @Override
                            protected void initChannel(EpollDomainSocketChannel ch) {
                                ch.pipeline().addLast(new ControlFrameDecoder(), new ControlFrameEncoder(),
                                        new ControlHandler(processor, ControlServer::peerOf));
                            }
                        })
                        .bind(a.netty()).syncUninterruptibly().channel();
                listeners.add(ch);
                bound.add(a);
                LOG.info("control socket listening on {}", a);
            }
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot listen on control socket: " + e.getMessage(), e);
        }
        return this;
    }

    private static void removeStaleSocket(ControlAddress a) {
        try {
            if (Files.exists(a.path(), LinkOption.NOFOLLOW_LINKS)) {
                BasicFileAttributes attrs = Files.readAttributes(a.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attrs.isOther()) {
                    throw new IllegalStateException(a + " exists and is not a socket");
                }
                if (ControlClient.reachable(a)) {
                    throw new IllegalStateException(a + " is in use by a running daemon");
                }
                Files.delete(a.path());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(a + ": " + e.getMessage(), e);
        }
    }

    static Peer peerOf(Channel ch) {
        try {
            PeerCredentials c = ((EpollDomainSocketChannel) ch).peerCredentials();
            return new Peer(c.pid(), c.uid(), c.gids());
        } catch (IOException e) {
            throw new UncheckedIOException("SO_PEERCRED failed: " + e.getMessage(), e);
        }
    }

    public List<ControlAddress> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        for (Channel ch : listeners) {
            ch.close().syncUninterruptibly();
        }
        listeners.clear();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        for (ControlAddress a : bound) {
            if (!a.isAbstract()) {
                try {
                    Files.deleteIfExists(a.path());
                } catch (IOException e) {
                    LOG.warn("cannot remove control socket {}: {}", a, e.getMessage());
                }
            }
        }
        bound.clear();
    }
}
