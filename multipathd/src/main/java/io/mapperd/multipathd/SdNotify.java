package io.mapperd.multipathd;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * sd_notify(3) for a Type=notify unit: one datagram ("READY=1", "RELOADING=1", "STOPPING=1",
 * "STATUS=...") to the unix socket systemd names in $NOTIFY_SOCKET (a path, or an abstract name
 * written with a leading '@'). Without $NOTIFY_SOCKET it does nothing.
 */
public final class SdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final String socket;

    public SdNotify(Map<String, String> env) {
        this.socket = env.get("NOTIFY_SOCKET");
    }

    public boolean enabled() {
        return socket != null && !socket.isEmpty();
    }

    /** Sends {@code state} (newline-separated assignments); returns whether it was sent. */
    public boolean send(String state) {
        if (!enabled()) {
            return false;
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInitializer<EpollDomainDatagramChannel>() {
                        @Override
                        protected void initChannel(EpollDomainDatagramChannel c) {
                        }
                    }).connect(new DomainSocketAddress(path)).syncUninterruptibly().channel();
            byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
            ch.writeAndFlush(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).syncUninterruptibly();
            ch.close().syncUninterruptibly();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("sd_notify to {} failed: {}", socket, e.toString());
            return false;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
