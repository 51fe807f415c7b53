package io.mapperd.checkers;

import io.mapperd.dm.io.DevT;
import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.sim.iscsi.SimPortal;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A target-sim on loopback for plug-in tests: one 64 MiB LUN behind two portals, 127.0.0.1 in
 * target port group 16 (active/optimized, preferred) and 127.0.0.2 in group 17
 * (active/non-optimized), on ephemeral ports; explicit and implicit ALUA. Sessions it opens are
 * closed with it.
 */
public final class SimSan implements AutoCloseable {
    public static final String IQN = "iqn.2026-01.io.mapperd.sim:plugins";
    public static final int GROUP_A = 16;
    public static final int GROUP_B = 17;

    private final IscsiTargetSim sim;
    private final List<IscsiSession> sessions = new ArrayList<>();

    private SimSan(IscsiTargetSim sim) {
        this.sim = sim;
    }

    public static SimSan start(Path dir) throws IOException {
        return start(dir, SimConfig.AluaMode.BOTH);
    }

    public static SimSan start(Path dir, SimConfig.AluaMode mode) throws IOException {
        SimConfig c = new SimConfig(
                List.of(new SimConfig.TargetSpec(IQN, List.of(new SimConfig.LunSpec(1, dir.resolve("lun1.img").toString(),
                        64L << 20, 512, "PLUG0001", null)), null, null, null, null)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", 0, GROUP_A), new SimConfig.PortalSpec("127.0.0.2", 0, GROUP_B)),
                List.of(new SimConfig.GroupSpec(GROUP_A, AluaState.ACTIVE_OPTIMIZED, true),
                        new SimConfig.GroupSpec(GROUP_B, AluaState.ACTIVE_NON_OPTIMIZED, false)),
                mode, null);
        return new SimSan(IscsiTargetSim.start(c));
    }

    public IscsiTargetSim sim() {
        return sim;
    }

    public SimPortal portal(int i) {
        return sim.portals().get(i);
    }

    public String url(int portal) {
        return "iscsi://" + portal(portal).address() + "/" + IQN + "/1";
    }

    /** Session settings that notice a dead portal within about a second. */
    public static SessionConfig quick() {
        return SessionConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofMillis(700), Duration.ofMillis(500));
    }

    public IscsiLun open(int portal) throws Exception {
        return open(portal, quick());
    }

    public IscsiLun open(int portal, SessionConfig cfg) throws Exception {
        SimPortal p = portal(portal);
        IscsiSession s = get(IscsiSession.login(p.host(), p.port(), IQN, cfg));
        synchronized (sessions) {
            sessions.add(s);
        }
        return get(IscsiLun.open(s, 1, url(portal), new DevT(8, 16 * portal), false));
    }

    public void state(int group, AluaState s) {
        sim.setGroupState(group, s);
    }

    /** Back to the starting states and no faults. */
    public void reset() throws InterruptedException {
        state(GROUP_A, AluaState.ACTIVE_OPTIMIZED);
        state(GROUP_B, AluaState.ACTIVE_NON_OPTIMIZED);
        for (SimPortal p : sim.portals()) {
            if (!p.fault().describe().equals("none")) {
                p.up();
            }
        }
    }

    public static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        synchronized (sessions) {
            sessions.forEach(IscsiSession::close);
        }
        sim.close();
    }
}
