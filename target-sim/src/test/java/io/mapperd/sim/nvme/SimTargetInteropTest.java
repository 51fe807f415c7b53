package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.AnaGroup;
import io.mapperd.transport.nvmetcp.AnaLog;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.ControllerListener;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.DiscoveryEntry;
import io.mapperd.transport.nvmetcp.DiscoveryLog;
import io.mapperd.transport.nvmetcp.IdentifyController;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our host against target-sim: the same checks as against the kernel's nvmet (KernelTargetInteropTest). */
class SimTargetInteropTest {
    static final NvmeTcpOptions OPTS = NvmeTcpOptions.defaults().withIoQueues(3).withQueueSize(64)
            .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(30)).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));

    SimFixture sim;

    @BeforeEach
    void start() throws Exception {
        sim = new SimFixture(64 << 10, 8192);
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    @Test
    void discoveryControllerListsTheSubsystemOnThatPortal() throws Exception {
        try (NvmeController d = NvmeController.connectDiscovery(sim.portal(2), OPTS)) {
            DiscoveryLog log = d.discoveryLog();
            assertEquals(2, log.entries().size());
            assertEquals("current discovery subsystem", log.entries().get(0).subtypeName());
            DiscoveryEntry e = log.entries().get(1);
            assertEquals(SimFixture.NQN, e.subnqn());
            assertEquals("nvme subsystem", e.subtypeName());
            assertEquals("tcp", e.trtypeName());
            assertEquals("ipv4", e.adrfamName());
            assertEquals(String.valueOf(sim.portal(2).getPort()), e.trsvcid());
            assertEquals("127.0.0.1", e.traddr());
            assertEquals(2, e.portId());
        }
    }

    @Test
    void identifyAndWwid() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            IdentifyController id = c.identify();
            assertEquals("mapperd-sim", id.model().strip());
            assertEquals("SIM0001", id.serial().strip());
            assertEquals(SimFixture.NQN, id.subnqn());
            assertTrue(id.anaReporting());
            assertEquals(3, c.ioQueueCount());
            assertEquals(List.of(1, 2), c.activeNamespaces());
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            assertEquals(64L << 20, ns.sizeSectors() * 512);
            assertEquals("uuid." + SimFixture.NS_UUID, ns.wwid());
            // namespace 2 has no identifiers: the kernel's fallback form
            assertEquals("nvme.0000-53494d30303031-6d6170706572642d73696d-00000002", c.namespace(2, new DevT(259, 1)).wwid());
        }
    }

    @Test
    void anaLogPerPortal() throws Exception {
        try (NvmeController a = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS.withIoQueues(1));
             NvmeController b = NvmeController.connect(sim.portal(2), SimFixture.NQN, OPTS.withIoQueues(1))) {
            AnaLog la = a.readAnaLog();
            assertEquals(AnaState.OPTIMIZED, la.group(1).orElseThrow().state());
            assertEquals(List.of(1), la.group(1).orElseThrow().nsids());
            assertEquals(List.of(2), la.group(2).orElseThrow().nsids());
            AnaGroup gb = b.readAnaLog().group(1).orElseThrow();
            assertEquals(AnaState.NON_OPTIMIZED, gb.state());
            NvmeNamespace na = a.namespace(1, new DevT(259, 1));
            NvmeNamespace nb = b.namespace(1, new DevT(259, 2));
            assertEquals(AnaState.OPTIMIZED, na.anaState().orElseThrow());
            assertEquals(AnaState.NON_OPTIMIZED, nb.anaState().orElseThrow());
            assertEquals(na.wwid(), nb.wwid());
            assertEquals(5000, a.keepAliveTimeoutMillis());
        }
    }

    @Test
    void writeReadVerify32MiBWithManyCommandsInFlight() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 3));
            // 256 KiB bios go by R2T in 64 KiB H2CData PDUs; 4 KiB ones in the capsule
            SimDataCheck.writeReadVerify(ns, 0, 32 << 20, 256 << 10, 64, 42);
            SimDataCheck.writeReadVerify(ns, 32 << 11, 4 << 20, 4096, 64, 43);
        }
    }

    @Test
    void discardAndWriteZeroesReadBackAsZeroes() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 3));
            assertTrue(ns.supportsDiscard());
            SimDataCheck.writeReadVerify(ns, 0, 1 << 20, 64 << 10, 8, 1);
            ns.submit(Bio.discard(0, 512 << 10)).get(10, TimeUnit.SECONDS);
            ns.submit(Bio.writeZeroes(1024, 512 << 10, 0)).get(10, TimeUnit.SECONDS);
            ByteBuffer back = ByteBuffer.allocate(1 << 20);
            ns.submit(Bio.read(0, back)).get(10, TimeUnit.SECONDS);
            assertEquals(-1, back.mismatch(ByteBuffer.allocate(1 << 20)));
        }
    }

    @Test
    void anaChangeReachesTheHostByAenWithinASecond() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS.withIoQueues(1))) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 4));
            BlockingQueue<AnaLog> changes = new LinkedBlockingQueue<>();
            c.addListener(new ControllerListener() {
                @Override
                public void anaChanged(NvmeController ctrl, AnaLog log) {
                    changes.add(log);
                }
            });
            for (AnaState s : List.of(AnaState.INACCESSIBLE, AnaState.CHANGE, AnaState.PERSISTENT_LOSS, AnaState.OPTIMIZED)) {
                long t0 = System.nanoTime();
                sim.target.setAnaState(1, 1, s);
                AnaLog log = changes.poll(1, TimeUnit.SECONDS);
                assertNotNull(log, "no ANA change notice within a second for " + s);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
                assertEquals(s, log.group(1).orElseThrow().state());
                assertEquals(s, ns.anaState().orElseThrow());
                if (!s.accessible()) {
                    BioException e = SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "Asymmetric Access");
                    assertTrue(e.status().isPathError());
                }
            }
            ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portalTakenAwayAndGivenBackReconnects() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS.withIoQueues(2))) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 5));
            sim.target.setFault(1, SimFault.parse("refuse", null));
            sim.target.setFault(1, SimFault.parse("reset", null));
            await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == ControllerState.RESETTING);
            BioException e = SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "");
            assertTrue(e.status().isPathError());
            Thread.sleep(600);
            assertEquals(ControllerState.RESETTING, c.state(), "reconnect must fail while the portal refuses");
            assertFalse(ns.keepAliveHealthy());
            sim.target.setFault(1, SimFault.NONE);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == ControllerState.LIVE);
            SimDataCheck.writeReadVerify(ns, 0, 1 << 20, 64 << 10, 8, 7);
        }
    }
}
