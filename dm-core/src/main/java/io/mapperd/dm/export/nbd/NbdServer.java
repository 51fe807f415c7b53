package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.DeviceListener;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.InlineIo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The NBD export: serves every mapped device of a {@link DeviceMapper} under its name, on TCP
 * (default 127.0.0.1:10809) and optionally a unix socket. The export list follows create, remove
 * and rename; each connected client holds its device open, so a plain remove is refused (EBUSY)
 * while it is connected and a forced remove disconnects it. Uses epoll where available, else NIO.
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NbdServer.class);

    private final DeviceMapper dm;
    private final NbdServerConfig config;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup("nbd", GlobalEventExecutor.INSTANCE);
    private final Map<String, MappedDevice> exports = new ConcurrentHashMap<>();
    private final Map<MappedDevice, ExportState> states = new ConcurrentHashMap<>();
    private final io.mapperd.dm.core.stats.ExportStats stats = new io.mapperd.dm.core.stats.ExportStats();
    private final DeviceListener listener = new DeviceListener() {
        @Override
        public void created(MappedDevice md) {
            exports.put(md.dmName(), md);
        }

        @Override
        public void removed(MappedDevice md) {
            exports.remove(md.dmName(), md);
            states.remove(md);
        }

        @Override
        public void renamed(MappedDevice md, String oldName) {
            exports.remove(oldName, md);
            exports.put(md.dmName(), md);
        }

        @Override
        public void forceRemoving(MappedDevice md) {
            ExportState s = states.get(md);
            if (s != null) {
                for (Channel ch : s.clients()) {
                    ch.eventLoop().execute(() -> {
                        NbdTransmissionHandler h = ch.pipeline().get(NbdTransmissionHandler.class);
                        if (h != null) {
                            h.shutdown();
                        }
                    });
                }
            }
        }
    };
    private Channel tcp;
    private Channel unix;

    private NbdServer(DeviceMapper dm, NbdServerConfig config) {
        this.dm = dm;
        this.config = config;
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // the loops run a memory-backed file's writes themselves (InlineIo)
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                InlineIo.permitting(new DefaultThreadFactory(MultiThreadIoEventLoopGroup.class)), io);
    }

    /** Starts serving; throws if an address cannot be bound (the server is then stopped again). */
    public static NbdServer start(DeviceMapper dm, NbdServerConfig cfg) throws IOException {
        NbdServer s = new NbdServer(dm, cfg);
        try {
            s.bind();
        } catch (IOException | RuntimeException e) {
            s.stop();
            throw e;
        }
        return s;
    }

    private void bind() throws IOException {
        dm.addListener(listener);
        for (MappedDevice md : dm.list()) {
            exports.put(md.dmName(), md);
        }
        ServerBootstrap b = bootstrap(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true);
        tcp = bindOrThrow(b, new InetSocketAddress(config.address(), config.port()),
                config.address() + ":" + config.port());
        LOG.info("NBD export listening on {}:{} ({})", config.address(), boundPort(), epoll ? "epoll" : "nio");
        if (config.unixSocket() != null) {
            Path p = config.unixSocket();
            if (Files.exists(p) && !Files.isDirectory(p)) {
                Files.delete(p); // a stale socket from an earlier run
            }
            SocketAddress addr = epoll ? new DomainSocketAddress(p.toString()) : UnixDomainSocketAddress.of(p);
            unix = bindOrThrow(bootstrap(epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class),
                    addr, p.toString());
            LOG.info("NBD export listening on unix socket {}", p);
        }
    }

    private ServerBootstrap bootstrap(Class<? extends ServerChannel> type) {
        return new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        NbdClientDecoder decoder = new NbdClientDecoder();
                        ch.config().setRecvByteBufAllocator(new NbdRecvAllocator(decoder,
                                new AdaptiveRecvByteBufAllocator(512, 16 << 10, 1 << 20)));
                        ch.pipeline().addLast("nbd-encoder", NbdServerEncoder.INSTANCE)
                                .addLast("nbd-decoder", decoder)
                                .addLast("nbd-handshake", new NbdHandshakeHandler(NbdServer.this, decoder));
                    }
                });
    }

    private static Channel bindOrThrow(ServerBootstrap b, SocketAddress addr, String what) throws IOException {
        var f = b.bind(addr).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("NBD export cannot listen on " + what + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    NbdServerConfig config() {
        return config;
    }

    /** The TCP port actually bound (the ephemeral one when the config said 0). */
    public int boundPort() {
        return tcp == null ? -1 : ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** Whether the native epoll transport is in use (else NIO). */
    public boolean usesEpoll() {
        return epoll;
    }

    /** Export names, sorted. */
    public List<String> exportNames() {
        List<String> names = new ArrayList<>(exports.keySet());
        names.sort(null);
        return names;
    }

    /** Clients connected to the export (device) named {@code name}; 0 for an unknown name. */
    public int clientCount(String name) {
        MappedDevice md = exports.get(name);
        ExportState s = md == null ? null : states.get(md);
        return s == null ? 0 : s.clients().size();
    }

    /** Every export with its client count, by name (for `show exports`). */
    public Map<String, Integer> clientCounts() {
        Map<String, Integer> out = new TreeMap<>();
        for (String name : exports.keySet()) {
            out.put(name, clientCount(name));
        }
        return out;
    }

    /** Clients, connections and requests, for the daemon's metrics. */
    public io.mapperd.dm.core.stats.ExportStats stats() {
        return stats;
    }

    MappedDevice lookup(String name) {
        return exports.get(name);
    }

    /** A client enters transmission: it holds the device open. Null if the device went away meanwhile. */
    ExportState attach(MappedDevice md, String name, Channel ch) {
        md.open();
        if (exports.get(name) != md || md.activeTable() == null) {
            md.close();
            return null;
        }
        ExportState s = states.computeIfAbsent(md, ExportState::new);
        s.clients().add(ch);
        stats.clientConnected();
        return s;
    }

    void detach(ExportState s, Channel ch) {
        if (s.clients().remove(ch)) {
            stats.clientDisconnected();
            s.device().close();
        }
    }

    /** Stops listening, disconnects every client (releasing their devices) and ends the event loops. */
    public void stop() {
        dm.removeListener(listener);
        if (tcp != null) {
            tcp.close().awaitUninterruptibly();
        }
        if (unix != null) {
            unix.close().awaitUninterruptibly();
            try {
                Files.deleteIfExists(config.unixSocket());
            } catch (IOException e) {
                LOG.warn("NBD export: cannot remove unix socket {}: {}", config.unixSocket(), e.toString());
            }
        }
        channels.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public void close() {
        stop();
    }
}
