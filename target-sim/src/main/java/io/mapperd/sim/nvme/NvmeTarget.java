package io.mapperd.sim.nvme;

import io.mapperd.sim.SimLoops;
import io.mapperd.transport.EventLoops;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.NvmeOpcodes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NVMe/TCP target for demos and tests: a discovery subsystem and NVM subsystems on several
 * portals, file-backed namespaces, ANA groups whose state per portal changes at run time (with an
 * Asynchronous Event to the controllers there), and per-portal faults. It answers as the Linux
 * kernel's nvmet does where the host can tell.
 */
public final class NvmeTarget implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NvmeTarget.class);
    public static final int MAX_IO_QUEUES = 16;
    public static final int MAX_CMD = 128;
    public static final int AERL = 4;

    private final Map<Integer, SimPortal> portals = new LinkedHashMap<>();
    private final List<SimSubsystem> subsystems;
    private final Map<String, SimSubsystem> byNqn = new LinkedHashMap<>();
    private final Map<Integer, SimController> controllers = new ConcurrentHashMap<>();
    private final AtomicInteger nextCntlid = new AtomicInteger(1);
    private final EventLoopGroup group;
    private final ScheduledExecutorService timer;
    private final int maxH2cData;
    private final int inCapsule;
    private volatile long discoveryGeneration = 1;

    private NvmeTarget(List<SimPortal> portalList, List<SimSubsystem> subsystems, int maxH2cData, int inCapsule) {
        for (SimPortal p : portalList) {
            if (portals.put(p.id(), p) != null) {
                throw new IllegalArgumentException("portal id " + p.id() + " given twice");
            }
        }
        for (SimSubsystem s : subsystems) {
            if (byNqn.put(s.nqn(), s) != null) {
                throw new IllegalArgumentException("subsystem " + s.nqn() + " given twice");
            }
            for (int p : s.portals()) {
                if (!portals.containsKey(p)) {
                    throw new IllegalArgumentException("subsystem " + s.nqn() + " names portal " + p + ", which is not configured");
                }
            }
        }
        if (maxH2cData < 4096 || (maxH2cData & 3) != 0) {
            throw new IllegalArgumentException("max-h2c-data " + maxH2cData + " must be a multiple of 4 of at least 4096");
        }
        this.subsystems = List.copyOf(subsystems);
        this.maxH2cData = maxH2cData;
        this.inCapsule = inCapsule;
        this.group = EventLoops.newGroup(SimLoops.count(), "nvme-sim-");
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("nvme-sim-kato").factory());
    }

    /** Binds every portal and starts serving. */
    public static NvmeTarget start(NvmeSimConfig cfg) throws IOException {
        List<SimPortal> ps = new ArrayList<>();
        for (NvmeSimConfig.Portal p : cfg.portals()) {
            ps.add(new SimPortal(p.id(), p.host(), p.port()));
        }
        List<SimSubsystem> subs = new ArrayList<>();
        try {
            for (NvmeSimConfig.Subsystem s : cfg.subsystems()) {
                List<SimNamespace> ns = new ArrayList<>();
                for (NvmeSimConfig.Namespace n : s.namespaces()) {
                    ns.add(new SimNamespace(n.nsid(), n.file(), n.size(), n.anaGroup(), n.nguid(), n.eui64(), n.uuid()));
                }
                subs.add(new SimSubsystem(s.nqn(), s.serial(), s.model(), new java.util.LinkedHashSet<>(s.portals()), ns));
            }
        } catch (IOException | RuntimeException e) {
            for (SimSubsystem s : subs) {
                for (SimNamespace n : s.namespaces().values()) {
                    n.close();
                }
            }
            throw e;
        }
        NvmeTarget t = new NvmeTarget(ps, subs, cfg.maxH2cData(), cfg.inCapsule());
        for (NvmeSimConfig.AnaSetting a : cfg.ana()) {
            t.portal(a.portal()).setAnaState(a.group(), a.state());
        }
        try {
            t.bind();
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void bind() throws IOException {
        for (SimPortal p : portals.values()) {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(EventLoops.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            NvmeTargetConnection.install(NvmeTarget.this, p, ch);
                        }
                    });
            try {
                Channel server = b.bind(p.host(), p.configuredPort()).sync().channel();
                p.bound(server);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted binding portal " + p.id());
            } catch (Exception e) {
                throw new IOException("portal " + p.id() + ": cannot listen on " + p.host() + ":" + p.configuredPort() + ": " + e.getMessage(), e);
            }
            log.info("nvme portal {} listening on {}:{}", p.id(), p.host(), p.port());
        }
    }

    // ---- operator actions ----

    public SimPortal portal(int id) {
        SimPortal p = portals.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no portal " + id + " (portals: " + portals.keySet() + ")");
        }
        return p;
    }

    public List<SimPortal> portals() {
        return List.copyOf(portals.values());
    }

    public List<SimSubsystem> subsystems() {
        return subsystems;
    }

    /** Changes an ANA group's state through a portal and tells the controllers there with an AEN. */
    public void setAnaState(int portalId, int group, AnaState state) {
        if (group <= 0 || group > SimIdentify.FIRMWARE_ANAGRPMAX) {
            throw new IllegalArgumentException("ANA group " + group + " outside 1.." + SimIdentify.FIRMWARE_ANAGRPMAX);
        }
        SimPortal p = portal(portalId);
        p.setAnaState(group, state);
        log.info("nvme portal {}: ANA group {} now {}", portalId, group, state);
        int dw0 = NvmeOpcodes.AER_TYPE_NOTICE | NvmeOpcodes.AER_NOTICE_ANA << 8 | NvmeOpcodes.LOG_ANA << 16;
        for (SimController c : controllers.values()) {
            if (c.portal == p && !c.discovery) {
                synchronized (c) {
                    if ((c.aenConfig & NvmeOpcodes.AEN_CFG_ANA_CHANGE) == 0 || c.anaEventMasked) {
                        continue;
                    }
                    c.anaEventMasked = true;
                }
                event(c, dw0);
            }
        }
    }

    /** Sets a portal's fault; {@code reset} resets its connections once (TCP RST) and leaves no fault. */
    public void setFault(int portalId, SimFault f) {
        SimPortal p = portal(portalId);
        if (f.kind() == SimFault.Kind.RESET) {
            log.info("nvme portal {}: resetting {} connection(s)", portalId, p.connections().size());
            for (Channel ch : p.connections()) {
                resetConnection(ch);
            }
            return;
        }
        p.setFault(f);
        log.info("nvme portal {}: fault {}", portalId, f);
    }

    /** Closes {@code ch} with a TCP RST (SO_LINGER 0), on its event loop, unless it is closed already. */
    static void resetConnection(Channel ch) {
        ch.eventLoop().execute(() -> {
            if (ch.isOpen()) {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                ch.close();
            }
        });
    }

    /** One line per portal and per controller, for {@code sim ctl status}. */
    public String status() {
        StringBuilder sb = new StringBuilder();
        for (SimPortal p : portals.values()) {
            sb.append("portal ").append(p.id()).append(' ').append(p.host()).append(':').append(p.port())
                    .append(" fault=").append(p.fault()).append(" connections=").append(p.connections().size());
            for (SimSubsystem s : subsystems) {
                if (s.portals().contains(p.id())) {
                    java.util.TreeSet<Integer> groups = new java.util.TreeSet<>();
                    s.namespaces().values().forEach(n -> groups.add(n.anaGroup()));
                    for (int g : groups) {
                        sb.append(" ana").append(g).append('=').append(p.anaState(g));
                    }
                    break;
                }
            }
            sb.append('\n');
        }
        for (SimSubsystem s : subsystems) {
            sb.append("subsystem ").append(s.nqn()).append(" portals=").append(s.portals()).append(" namespaces=").append(s.namespaces().keySet()).append('\n');
        }
        for (SimController c : controllers.values()) {
            sb.append("controller ").append(c.cntlid).append(' ').append(c.discovery ? NvmeOpcodes.DISCOVERY_NQN : c.subsystem.nqn())
                    .append(" portal=").append(c.portal.id()).append(" host=").append(c.hostNqn).append(" queues=").append(c.queues.size())
                    .append(" loops=").append(queueLoops(c)).append('\n');
        }
        return sb.toString();
    }

    /** "qid:loop" for each queue of {@code c}, by queue id; a loop is its index in the target's group. */
    private String queueLoops(SimController c) {
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        java.util.TreeMap<Integer, Integer> byQid = new java.util.TreeMap<>();
        for (Channel q : c.queues) {
            int qid = NvmeTargetConnection.qidOf(q);
            if (qid >= 0) {
                byQid.put(qid, loops.indexOf(q.eventLoop()));
            }
        }
        StringBuilder sb = new StringBuilder();
        byQid.forEach((q, l) -> sb.append(sb.isEmpty() ? "" : ",").append(q).append(':').append(l));
        return sb.toString();
    }

    // ---- for connections ----

    SimSubsystem subsystem(String nqn) {
        return byNqn.get(nqn);
    }

    int maxH2cData() {
        return maxH2cData;
    }

    /**
     * The loop that serves I/O queue {@code qid} of every controller of {@code s}; null when loops
     * are not kept per storage ({@link EventLoops#loopPerStorage}): the queue stays where it was accepted.
     */
    EventLoop queueLoop(SimSubsystem s, int qid) {
        return EventLoops.loopPerStorage() ? EventLoops.loopFor(group, s.nqn() + "#" + qid) : null;
    }

    int inCapsule() {
        return inCapsule;
    }

    long discoveryGeneration() {
        return discoveryGeneration;
    }

    SimController createController(SimSubsystem s, SimPortal p, String hostNqn, boolean discovery, long katoMs) {
        int id = nextCntlid.getAndUpdate(x -> x >= 0xFFEF ? 1 : x + 1);
        SimController c = new SimController(id, s, p, hostNqn, discovery, katoMs,
                discovery ? 0 : NvmeOpcodes.AEN_CFG_NS_ATTR | NvmeOpcodes.AEN_CFG_ANA_CHANGE);
        controllers.put(id, c);
        if (katoMs > 0) {
            long period = Math.max(100, katoMs / 4);
            timer.scheduleAtFixedRate(() -> checkKeepAlive(c), period, period, TimeUnit.MILLISECONDS);
        }
        return c;
    }

    SimController controller(int cntlid) {
        return controllers.get(cntlid);
    }

    private void checkKeepAlive(SimController c) {
        if (c.dead) {
            throw new IllegalStateException("controller " + c.cntlid + " gone"); // cancels the periodic check
        }
        if (c.portal.fault().kind() == SimFault.Kind.HANG) {
            return; // a hung target does nothing, not even time out its hosts
        }
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.lastKeepAliveNanos);
        if (idle > c.katoMs) {
            log.warn("nvme controller {}: no keep-alive for {} ms (KATO {} ms), tearing it down", c.cntlid, idle, c.katoMs);
            removeController(c);
        }
    }

    void removeController(SimController c) {
        c.dead = true;
        controllers.remove(c.cntlid, c);
        for (Channel q : c.queues) {
            q.close();
        }
    }

    /** Completes an outstanding AER with {@code dw0}, or keeps the event until one comes. */
    void event(SimController c, int dw0) {
        Integer cid;
        Channel admin;
        synchronized (c) {
            cid = c.aers.poll();
            admin = c.admin;
            if (cid == null) {
                c.pendingEvents.add(dw0);
                return;
            }
        }
        NvmeTargetConnection.completeAer(admin, cid, dw0);
    }

    @Override
    public void close() {
        for (SimController c : controllers.values()) {
            removeController(c);
        }
        for (SimPortal p : portals.values()) {
            Channel s = p.server();
            if (s != null) {
                s.close().syncUninterruptibly();
            }
            p.connections().forEach(Channel::close);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        timer.shutdownNow();
        for (SimSubsystem s : subsystems) {
            for (SimNamespace n : s.namespaces().values()) {
                n.close();
            }
        }
    }
}
