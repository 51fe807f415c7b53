package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import io.mapperd.sim.nvme.NvmeSimConfig;
import io.mapperd.sim.nvme.NvmeTarget;
import io.mapperd.sim.nvme.SimFault;
import io.mapperd.transport.nvmetcp.AnaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NVMe/TCP paths from the discovery controllers of target-sim's two ports (each lists its own): ANA priorities, grouping, a lost port. */
class NvmeAnaTest {
    static final String NQN = "nqn.2026-11.io.mapperd:sim:nvme1";
    static final String NGUID = "6d617070657264000000000000000001";

    @TempDir
    Path dir;

    @Test
    void oneNamespaceOverTwoPortsGroupedByAnaStateAndAPortLossFailsItsPath() throws Exception {
        NvmeSimConfig cfg = new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", 0), new NvmeSimConfig.Portal(2, "127.0.0.1", 0)),
                List.of(new NvmeSimConfig.Subsystem(NQN, "NVSIM0001", "MAPPERD SIM", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, dir.resolve("ns1.img"), 16 << 20, 1, NGUID, "", null)))),
                List.of(new NvmeSimConfig.AnaSetting(2, 1, AnaState.NON_OPTIMIZED)),
                NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE);
        try (NvmeTarget sim = NvmeTarget.start(cfg); DeviceMapper dm = new DeviceMapper()) {
            Path conf = dir.resolve("multipath.conf");
            Files.writeString(conf, """
                    defaults {
                    	polling_interval 1
                    	find_multipaths no
                    	bindings_file %s
                    	wwids_file %s
                    }
                    devices {
                    	device {
                    		vendor "NVME"
                    		product "MAPPERD SIM"
                    		path_grouping_policy group_by_prio
                    		prio ana
                    		path_checker none
                    		failback immediate
                    		no_path_retry queue
                    	}
                    }
                    mapperd_transports {
                    	nvme_discovery {
                    		address 127.0.0.1:%d
                    		host_nqn nqn.2026-11.io.mapperd:test-host
                    	}
                    	nvme_discovery {
                    		address 127.0.0.1:%d
                    		host_nqn nqn.2026-11.io.mapperd:test-host
                    	}
                    }
                    """.formatted(dir.resolve("b"), dir.resolve("w"), sim.portal(1).port(), sim.portal(2).port()));
            try (Engine e = Engine.start(dm, new EngineOptions(conf, null, Optional.empty(), Duration.ofSeconds(2),
                    Duration.ofMillis(250)))) {
                SanFixture.await("a map of two NVMe paths in two groups", Duration.ofSeconds(30), () -> e.maps().size() == 1
                        && e.maps().getFirst().pathCount() == 2 && e.maps().getFirst().groups().size() == 2);
                MapView m = e.maps().getFirst();
                assertEquals("eui." + NGUID, m.wwid());
                assertEquals(50, m.groups().get(0).priority());
                assertEquals(10, m.groups().get(1).priority());
                PathView first = m.groups().get(0).paths().getFirst();
                assertEquals("nvme:tcp", first.protocol());
                assertEquals(NQN, first.targetWwnn());
                assertTrue(first.dev().matches("nvme\\dn1"), first.dev());
                assertEquals("127.0.0.1:" + sim.portal(1).port(), first.targetWwpn());
                assertTrue(e.paths().stream().anyMatch(p -> p.hcil().matches("\\d+:\\d+:1:1")), "X:cntlid:Y:nsid");
                try (VerifiedWorkload w = new VerifiedWorkload(dm.get(m.name()), 2)) {
                    w.awaitProgress(50, 30);
                    sim.setFault(1, new SimFault(SimFault.Kind.REFUSE, 0, 0));
                    sim.setFault(1, new SimFault(SimFault.Kind.RESET, 0, 0));
                    SanFixture.await("the optimized path failed", Duration.ofSeconds(30), () -> e.paths().stream()
                            .anyMatch(p -> p.devT().equals(first.devT()) && p.dmState().equals("failed")));
                    w.awaitProgress(50, 30);
                    sim.setFault(1, SimFault.NONE);
                    SanFixture.await("reinstated after reconnecting", Duration.ofSeconds(40), () -> e.paths().stream()
                            .anyMatch(p -> p.devT().equals(first.devT()) && p.dmState().equals("active")));
                    w.awaitProgress(50, 30);
                    w.close();
                    assertEquals(List.of(), w.errors);
                }
            }
        }
    }
}
