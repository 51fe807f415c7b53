package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.DevT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
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

/** Our host against the Linux kernel's NVMe/TCP target (nvmet) in the reference VM. */
class KernelTargetInteropTest {
    static final NvmeTcpOptions OPTS = NvmeTcpOptions.defaults().withIoQueues(3).withQueueSize(64)
            .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(60)).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));

    @BeforeAll
    static void vm() {
        RefVm.requireNvmet();
    }

    @AfterAll
    static void restore() throws IOException {
        if (RefVm.answersIcReq(RefVm.NVME_PORT_OPTIMIZED) || RefVm.answersIcReq(RefVm.NVME_PORT_NON_OPTIMIZED)) {
            RefVm.exec(restoreCommand());
        }
    }

    static String restoreCommand() {
        String n = RefVm.NVMET;
        return "echo optimized > " + n + "/ports/1/ana_groups/1/ana_state; echo non-optimized > " + n + "/ports/2/ana_groups/1/ana_state;"
                + " [ -e " + n + "/ports/1/subsystems/" + RefVm.SUBNQN + " ] || ln -s " + n + "/subsystems/" + RefVm.SUBNQN + " " + n + "/ports/1/subsystems/" + RefVm.SUBNQN;
    }

    static InetSocketAddress port(int p) {
        return new InetSocketAddress(RefVm.HOST, p);
    }

    @Test
    void discoveryControllerListsTheSubsystem() throws IOException {
        try (NvmeController d = NvmeController.connectDiscovery(port(RefVm.NVME_PORT_OPTIMIZED), OPTS)) {
            DiscoveryLog log = d.discoveryLog();
            assertEquals(log.numRecords(), log.entries().size());
            DiscoveryEntry e = log.entries().stream().filter(x -> x.subnqn().equals(RefVm.SUBNQN)).findFirst().orElseThrow();
            assertEquals("tcp", e.trtypeName());
            assertEquals("nvme subsystem", e.subtypeName());
            assertEquals("4420", e.trsvcid());
            assertEquals(1, e.portId());
        }
    }

    @Test
    void identifyAndWwidMatchTheKernelHost() throws IOException {
        try (NvmeController c = NvmeController.connect(port(RefVm.NVME_PORT_OPTIMIZED), RefVm.SUBNQN, OPTS)) {
            IdentifyController id = c.identify();
            assertEquals("Linux", id.model().strip());
            assertEquals("refvm0001", id.serial().strip());
            assertEquals(RefVm.SUBNQN, id.subnqn());
            assertTrue(id.anaReporting());
            assertEquals(3, c.ioQueueCount());
            assertEquals(List.of(1), c.activeNamespaces());
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            assertEquals(64L << 20, ns.sizeSectors() * 512);
            assertEquals(512, ns.logicalBlockSize());
            // The kernel's own host, connected inside the guest, is the judge of the WWID.
            String out = RefVm.exec("modprobe nvme-tcp; nvme connect -t tcp -a 127.0.0.1 -s 4420 -n " + RefVm.SUBNQN
                    + " >/dev/null; sleep 1; for f in /sys/block/nvme*n1/wwid; do cat $f; done; nvme disconnect -n " + RefVm.SUBNQN + " >/dev/null");
            String kernelWwid = out.lines().filter(l -> l.startsWith("uuid.") || l.startsWith("eui.") || l.startsWith("nvme.")).findFirst().orElseThrow(() -> new AssertionError("no wwid from the guest: " + out));
            assertEquals(kernelWwid, ns.wwid());
            assertNotNull(ns.ids().uuid());
        }
    }

    @Test
    void anaLogPerPort() throws IOException {
        try (NvmeController a = NvmeController.connect(port(RefVm.NVME_PORT_OPTIMIZED), RefVm.SUBNQN, OPTS.withIoQueues(1));
             NvmeController b = NvmeController.connect(port(RefVm.NVME_PORT_NON_OPTIMIZED), RefVm.SUBNQN, OPTS.withIoQueues(1))) {
            AnaGroup ga = a.readAnaLog().group(1).orElseThrow();
            AnaGroup gb = b.readAnaLog().group(1).orElseThrow();
            assertEquals(AnaState.OPTIMIZED, ga.state());
            assertEquals(AnaState.NON_OPTIMIZED, gb.state());
            assertEquals(List.of(1), ga.nsids());
            NvmeNamespace na = a.namespace(1, new DevT(259, 1));
            NvmeNamespace nb = b.namespace(1, new DevT(259, 2));
            assertEquals(1, na.anaGroupId());
            assertEquals(AnaState.OPTIMIZED, na.anaState().orElseThrow());
            assertEquals(AnaState.NON_OPTIMIZED, nb.anaState().orElseThrow());
            assertEquals(na.wwid(), nb.wwid());
            assertTrue(na.keepAliveHealthy());
            assertEquals(5000, a.keepAliveTimeoutMillis(), "nvmet keeps the 5 s KATO asked for");
        }
    }

    @Test
    void writeReadVerify32MiBWithManyCommandsInFlight() throws Exception {
        try (NvmeController c = NvmeController.connect(port(RefVm.NVME_PORT_OPTIMIZED), RefVm.SUBNQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 3));
            DataCheck.writeReadVerify(ns, 32 << 20, 256 << 10, 64, 42);
        }
    }

    @Test
    void headerAndDataDigestsAreAcceptedByTheKernel() throws Exception {
        try (NvmeController c = NvmeController.connect(port(RefVm.NVME_PORT_NON_OPTIMIZED), RefVm.SUBNQN, OPTS.withIoQueues(2).withDigests(true, true))) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 6));
            DataCheck.writeReadVerify(ns, 2 << 20, 128 << 10, 16, 77);
            DataCheck.writeReadVerify(ns, 64 << 10, 4096, 16, 78);
        }
    }

    @Test
    void anaChangeToInaccessibleArrivesByAen() throws Exception {
        try (NvmeController c = NvmeController.connect(port(RefVm.NVME_PORT_OPTIMIZED), RefVm.SUBNQN, OPTS.withIoQueues(1))) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 4));
            BlockingQueue<AnaLog> changes = new LinkedBlockingQueue<>();
            c.addListener(new ControllerListener() {
                @Override
                public void anaChanged(NvmeController ctrl, AnaLog log) {
                    changes.add(log);
                }
            });
            try {
                long t0 = System.nanoTime();
                RefVm.setAnaState(1, 1, AnaState.INACCESSIBLE);
                AnaLog log = changes.poll(10, TimeUnit.SECONDS);
                assertNotNull(log, "no ANA change notice");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(AnaState.INACCESSIBLE, log.group(1).orElseThrow().state());
                assertEquals(AnaState.INACCESSIBLE, ns.anaState().orElseThrow());
                assertTrue(ms < 3000, "ANA change took " + ms + " ms (including the guest shell round trip)");
                ExecutionCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "Asymmetric Access Inaccessible");
                assertTrue(BlkStatus.TRANSPORT.isPathError());
            } finally {
                RefVm.setAnaState(1, 1, AnaState.OPTIMIZED);
            }
            AnaLog back = changes.poll(10, TimeUnit.SECONDS);
            assertNotNull(back, "no ANA change notice for the way back");
            assertEquals(AnaState.OPTIMIZED, ns.anaState().orElseThrow());
            ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portTakenAwayAndGivenBackReconnects() throws Exception {
        try (NvmeController c = NvmeController.connect(port(RefVm.NVME_PORT_OPTIMIZED), RefVm.SUBNQN, OPTS.withIoQueues(2))) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 5));
            String link = RefVm.NVMET + "/ports/1/subsystems/" + RefVm.SUBNQN;
            try {
                RefVm.exec("rm " + link);
                await().atMost(Duration.ofSeconds(15)).until(() -> c.state() == ControllerState.RESETTING);
                BioException e = ExecutionCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "");
                assertTrue(e.status().isPathError());
                Thread.sleep(1500);
                assertEquals(ControllerState.RESETTING, c.state(), "reconnect must fail while the port is away");
                assertFalse(ns.keepAliveHealthy());
            } finally {
                RefVm.exec("ln -s " + RefVm.NVMET + "/subsystems/" + RefVm.SUBNQN + " " + link);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> c.state() == ControllerState.LIVE);
            DataCheck.writeReadVerify(ns, 1 << 20, 64 << 10, 8, 7);
        }
    }

}
