package io.mapperd.sim.iscsi;

import io.mapperd.sim.SimLoops;
import io.mapperd.transport.EventLoops;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.Sense;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iSCSI target simulator: file-backed LUNs on several portals, ALUA target port groups whose
 * states the operator (or STPG, in explicit mode) changes at run time, and per-portal faults. Used by
 * tests, the demo and the soak tests; run from the command line with {@code sim -c FILE}.
 */
public final class IscsiTargetSim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiTargetSim.class);

    private final SimConfig config;
    private final List<SimTarget> targets = new ArrayList<>();
    private final List<PortGroup> groups = new ArrayList<>();
    private final List<SimPortal> portals = new ArrayList<>();
    private final EventLoopGroup loops;
    private final AtomicInteger tsih = new AtomicInteger(0x100);
    private final Map<String, TargetConnection> sessions = new ConcurrentHashMap<>();
    private ControlServer control;

    private IscsiTargetSim(SimConfig config) {
        this.config = config;
        this.loops = EventLoops.newGroup(SimLoops.count(), "sim-iscsi-");
    }

    public static IscsiTargetSim start(SimConfig config) throws IOException {
        IscsiTargetSim sim = new IscsiTargetSim(config);
        try {
            for (SimConfig.TargetSpec t : config.targets()) {
                List<SimLun> luns = new ArrayList<>();
                for (SimConfig.LunSpec l : t.luns()) {
                    luns.add(SimLun.open(t.iqn(), l));
                }
                sim.targets.add(new SimTarget(t.iqn(), luns, t.chapUser(), t.chapSecret(), t.mutualUser(), t.mutualSecret()));
            }
            for (SimConfig.GroupSpec g : config.groups()) {
                sim.groups.add(new PortGroup(g.id(), g.state(), g.preferred()));
            }
            int rel = 1;
            for (SimConfig.PortalSpec p : config.portals()) {
                SimPortal portal = new SimPortal(sim, p.host(), p.port(), rel++, sim.group(p.group()), sim.loops);
                sim.portals.add(portal);
                portal.bind();
            }
            if (config.control() != null) {
                sim.control = ControlServer.start(sim, config.control());
            }
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sim.close();
            throw new IOException("interrupted while binding portals");
        } catch (Exception e) {
            sim.close();
            throw new IOException("cannot bind portal: " + e.getMessage(), e);
        }
        LOG.info("target-sim serving {} on {}", sim.targets.stream().map(SimTarget::iqn).toList(),
                sim.portals.stream().map(SimPortal::address).toList());
        return sim;
    }

    public SimConfig config() {
        return config;
    }

    public List<SimTarget> targets() {
        return List.copyOf(targets);
    }

    public SimTarget target(String iqn) {
        return targets.stream().filter(t -> t.iqn().equals(iqn)).findFirst().orElse(null);
    }

    public List<PortGroup> groups() {
        return List.copyOf(groups);
    }

    public PortGroup group(int id) {
        return groups.stream().filter(g -> g.id() == id).findFirst().orElse(null);
    }

    public List<SimPortal> portals() {
        return List.copyOf(portals);
    }

    /** A portal by HOST:PORT (the bound port) or by its relative port number. */
    public SimPortal portal(String address) {
        for (SimPortal p : portals) {
            if (p.address().equals(address) || Integer.toString(p.relativePort()).equals(address)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no portal " + address + " (have " + portals.stream().map(SimPortal::address).toList() + ")");
    }

    public SimConfig.AluaMode aluaMode() {
        return config.alua();
    }

    boolean explicitAlua() {
        return config.alua() == SimConfig.AluaMode.EXPLICIT || config.alua() == SimConfig.AluaMode.BOTH;
    }

    public void setGroupState(int id, AluaState state) {
        setGroupState(id, state, false);
    }

    void setGroupState(int id, AluaState state, boolean explicit) {
        PortGroup g = group(id);
        if (g == null) {
            throw new IllegalArgumentException("no target port group " + id);
        }
        AluaState was = g.state();
        g.set(state, explicit);
        if (was != state) {
            unitAttentionAll(null, io.mapperd.transport.iscsi.scsi.Sense.of(io.mapperd.transport.iscsi.scsi.SenseKey.UNIT_ATTENTION, 0x2a, 0x06));
        }
        if (was != state) {
            LOG.info("target port group {}: {} -> {}{}", id, was.text(), state.text(), explicit ? " (SET TARGET PORT GROUPS)" : "");
        }
    }

    public void fault(String portal, String fault, List<String> args) throws InterruptedException {
        SimPortal p = portal(portal);
        switch (fault) {
            case "down" -> p.down();
            case "up", "clear" -> p.up();
            case "reset" -> p.reset();
            case "hang" -> p.hang(true);
            case "delay" -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("fault delay needs MS");
                }
                p.delay(Long.parseLong(args.get(0)));
            }
            case "sense" -> {
                if (args.size() == 1 && args.get(0).equals("off")) {
                    p.sense(null);
                    return;
                }
                if (args.size() != 3) {
                    throw new IllegalArgumentException("fault sense needs KEY ASC ASCQ (hex), e.g. 3 11 00, or off");
                }
                p.sense(Sense.of(io.mapperd.transport.iscsi.scsi.SenseKey.of(Integer.parseInt(args.get(0), 16)),
                        Integer.parseInt(args.get(1), 16), Integer.parseInt(args.get(2), 16)));
            }
            default -> throw new IllegalArgumentException("unknown fault '" + fault
                    + "' (want down, up, reset, hang, delay MS, sense KEY ASC ASCQ)");
        }
    }

    /** Establishes a UNIT ATTENTION for every logged-in nexus on {@code lun} (null: every LUN). */
    void unitAttentionAll(SimLun lun, Sense s) {
        for (String nexus : sessions.keySet()) {
            for (SimTarget t : targets) {
                for (SimLun l : t.luns()) {
                    if (lun == null || l == lun) {
                        l.unitAttention(nexus, s);
                    }
                }
            }
        }
    }

    int nextTsih() {
        int t = tsih.getAndIncrement() & 0xffff;
        return t == 0 ? tsih.getAndIncrement() & 0xffff : t;
    }

    /** Session reinstatement: a new login of the same initiator and ISID closes the old connection. */
    void register(String nexus, TargetConnection c) {
        TargetConnection old = sessions.put(nexus, c);
        if (old != null && old != c) {
            old.close();
        }
    }

    void unregister(String nexus, TargetConnection c) {
        if (nexus != null && sessions.remove(nexus, c)) {
            for (SimTarget t : targets) {
                t.luns().forEach(l -> {
                    Reservations6.nexusLost(l, nexus);
                    l.forgetNexus(nexus);
                });
            }
        }
    }

    public int controlPort() {
        return control == null ? -1 : control.port();
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (control != null) {
            control.close();
        }
        for (SimPortal p : portals) {
            p.down();
        }
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        for (SimTarget t : targets) {
            t.luns().forEach(SimLun::close);
        }
    }
}
