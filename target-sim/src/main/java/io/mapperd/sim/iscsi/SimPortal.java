package io.mapperd.sim.iscsi;

import io.mapperd.transport.EventLoops;
import io.mapperd.transport.iscsi.pdu.PduDecoder;
import io.mapperd.transport.iscsi.pdu.PduEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/** A network portal: a listening socket in one target port group, with its run-time fault. */
public final class SimPortal {
    private static final Logger LOG = LoggerFactory.getLogger(SimPortal.class);

    private final IscsiTargetSim sim;
    private final String host;
    private final int port;
    private final int relativePort;
    private final PortGroup group;
    private final EventLoopGroup loops;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Channel server;
    private volatile PortalFault fault = PortalFault.NONE;
    private volatile int boundPort;

    SimPortal(IscsiTargetSim sim, String host, int port, int relativePort, PortGroup group, EventLoopGroup loops) {
        this.sim = sim;
        this.host = host;
        this.port = port;
        this.relativePort = relativePort;
        this.group = group;
        this.loops = loops;
    }

    synchronized void bind() throws InterruptedException {
        if (server != null) {
            return;
        }
        ServerBootstrap b = new ServerBootstrap().group(loops).channel(EventLoops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new PduDecoder(PduDecoder.LOGIN_DATA_LIMIT), new PduEncoder(),
                                new TargetConnection(sim, SimPortal.this));
                    }
                });
        int p = boundPort != 0 ? boundPort : port;
        Channel ch = b.bind(host, p).sync().channel();
        boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
        server = ch;
    }

    synchronized void unbind() {
        Channel s = server;
        server = null;
        if (s != null) {
            s.close().syncUninterruptibly();
        }
    }

    public String host() {
        return host;
    }

    /** The port actually bound (the configured one, or the ephemeral one chosen for port 0). */
    public int port() {
        return boundPort;
    }

    public String address() {
        return host + ":" + boundPort;
    }

    public int relativePort() {
        return relativePort;
    }

    /** The target portal group tag: each portal is its own portal group. */
    public int tpgt() {
        return relativePort;
    }

    public PortGroup group() {
        return group;
    }

    public PortalFault fault() {
        return fault;
    }

    public int connectionCount() {
        return connections.size();
    }

    // ---- faults ----

    /** Refuse connections: close the listening socket and every connection. */
    public synchronized void down() {
        fault = fault.withDown(true);
        unbind();
        connections.close();
        LOG.info("portal {} down", address());
    }

    /** Back to normal: listening, no hang, no delay, no injected sense. */
    public synchronized void up() throws InterruptedException {
        fault = PortalFault.NONE;
        bind();
        LOG.info("portal {} up", address());
    }

    /** Reset every connection now (TCP RST); new connections are accepted. */
    public void reset() {
        for (Channel c : connections) {
            // on the channel's loop: a connection closing meanwhile cannot take SO_LINGER any more
            c.eventLoop().execute(() -> {
                if (c.isOpen()) {
                    c.config().setOption(ChannelOption.SO_LINGER, 0);
                    c.close();
                }
            });
        }
        LOG.info("portal {}: connections reset", address());
    }

    /** Accept and read, never answer, on existing and new connections. */
    public void hang(boolean on) {
        fault = fault.withHang(on);
        LOG.info("portal {}: hang {}", address(), on ? "on" : "off");
    }

    public void delay(long millis) {
        fault = fault.withDelay(millis);
        LOG.info("portal {}: responses delayed by {} ms", address(), millis);
    }

    public void sense(io.mapperd.transport.iscsi.scsi.Sense s) {
        fault = fault.withSense(s);
        LOG.info("portal {}: media commands answer {}", address(), s == null ? "normally" : "CHECK CONDITION " + s);
    }
}
