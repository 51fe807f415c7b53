package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.sim.iscsi.SimPortal;
import io.mapperd.transport.iscsi.scsi.AluaState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The demo SAN in miniature for tests: target-sim with two LUNs over four loopback portals
 * (ephemeral ports) in two ALUA groups (1 active/optimized, preferred; 2 active/non-optimized),
 * and an engine over a DeviceMapper with a configuration written for it.
 */
final class SanFixture implements AutoCloseable {
    static final String IQN = "iqn.2026-11.io.mapperd:sim:array";
    static final String NAA0 = "6001405d3a0000000000000000000001";
    static final String NAA1 = "6001405d3a0000000000000000000002";
    static final String WWID0 = "3" + NAA0;
    static final String WWID1 = "3" + NAA1;

    final Path dir;
    final IscsiTargetSim sim;
    final DeviceMapper dm = new DeviceMapper();
    Engine engine;
    Path conf;

    SanFixture(Path dir) throws Exception {
        this.dir = dir;
        SimConfig c = new SimConfig(
                List.of(new SimConfig.TargetSpec(IQN, List.of(
                        new SimConfig.LunSpec(0, dir.resolve("lun0.img").toString(), 32L << 20, 512, "SIMLUN0", "0x" + NAA0),
                        new SimConfig.LunSpec(1, dir.resolve("lun1.img").toString(), 16L << 20, 512, "SIMLUN1", "0x" + NAA1)),
                        null, null, null, null)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", 0, 1), new SimConfig.PortalSpec("127.0.0.1", 0, 1),
                        new SimConfig.PortalSpec("127.0.0.1", 0, 2), new SimConfig.PortalSpec("127.0.0.1", 0, 2)),
                List.of(new SimConfig.GroupSpec(1, AluaState.ACTIVE_OPTIMIZED, true),
                        new SimConfig.GroupSpec(2, AluaState.ACTIVE_NON_OPTIMIZED, false)),
                SimConfig.AluaMode.IMPLICIT, null);
        sim = IscsiTargetSim.start(c);
    }

    SimPortal portal(int i) {
        return sim.portals().get(i);
    }

    /** A configuration with the four portals, {@code extra} inserted at top level, defaults {@code defaults}. */
    String config(String defaults, String extra) {
        StringBuilder b = new StringBuilder();
        b.append("defaults {\n\tpolling_interval 1\n\tmax_polling_interval 4\n\tchecker_timeout 3\n\tfast_io_fail_tmo 1\n")
                .append("\tfind_multipaths no\n\tbindings_file ").append(dir.resolve("bindings")).append('\n')
                .append("\twwids_file ").append(dir.resolve("wwids")).append('\n')
                .append(defaults).append("}\n");
        b.append(extra).append('\n');
        b.append("mapperd_transports {\n");
        for (SimPortal p : sim.portals()) {
            b.append("\tiscsi_portal {\n\t\tportal ").append(p.address()).append("\n\t\ttarget ").append(IQN)
                    .append("\n\t\tinitiator_name iqn.2026-11.io.mapperd:test\n\t}\n");
        }
        b.append("}\n");
        return b.toString();
    }

    Engine start(String configText) throws Exception {
        conf = dir.resolve("multipath.conf");
        Files.writeString(conf, configText);
        engine = Engine.start(dm, new EngineOptions(conf, null, Optional.empty(), Duration.ofSeconds(2),
                Duration.ofMillis(250)));
        return engine;
    }

    /** The daemon on the usual device section (group_by_prio, alua, failback immediate) and no other settings. */
    Engine startImmediateFailback() throws Exception {
        return start(config("", CheckerLoopTest.device("immediate", "")));
    }

    void rewrite(String configText) throws Exception {
        Files.writeString(conf, configText);
    }

    static void await(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        dm.close();
        sim.close();
    }
}
