package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.targets.multipath.PgPath;
import io.mapperd.sim.nvme.SimFault;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multipath target over two real NVMe/TCP paths: a multipath table naming {@code nvme+tcp://}
 * namespaces of target-sim through its two ports, no multipathd. Faults are the simulator's:
 * connections reset (TCP RST), a silent hang (found by the host's keep-alive), refused
 * connections, ANA state changes.
 */
class MultipathOverNvmeTcpTest {
    /** Keep-alive 1 s (a hang is found within it), I/O timeout 3 s, reconnect every 200 ms. */
    static final NvmeTcpOptions OPTIONS = NvmeTcpOptions.defaults().withKato(Duration.ofSeconds(1))
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)).withConnectTimeout(Duration.ofSeconds(2))
            .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(-1));
    static final long SECTORS = (64L << 20) >> 9;
    static final long BLOCKS = 2048;

    @TempDir
    Path dir;
    NvmeSan san;
    NvmeTcpDeviceProvider nvme;
    DeviceMapper dm;

    @BeforeEach
    void start() throws Exception {
        san = new NvmeSan(dir);
        nvme = new NvmeTcpDeviceProvider(OPTIONS);
        dm = new DeviceMapper();
        dm.addProvider(nvme);
    }

    @AfterEach
    void stop() {
        try {
            dm.close();
            nvme.close();
        } finally {
            san.close();
        }
    }

    MapView failoverMap(String name, String features) throws Exception {
        return failoverMap(name, features, "");
    }

    /** {@code urlOptions}: appended to both paths' URLs (e.g. {@code ?timeout_ms=1000}). */
    MapView failoverMap(String name, String features, String urlOptions) throws Exception {
        return new MapView(dm.create(name, "", "0 " + SECTORS + " multipath " + features + " 0 2 1 round-robin 0 1 1 "
                + san.url(1) + urlOptions + " 1 round-robin 0 1 1 " + san.url(2) + urlOptions + " 1", false));
    }

    static String expectedStatus(int activeGroup, PgPath a, String aState, PgPath b, String bState) {
        return "0 " + SECTORS + " multipath 2 0 0 0 2 " + activeGroup + " " + (activeGroup == 1 ? "A" : "E") + " 0 1 0 "
                + a.name() + " " + aState + " " + (activeGroup == 2 ? "A" : "E") + " 0 1 0 " + b.name() + " " + bState + " ";
    }

    static void awaitLive(PgPath p) throws InterruptedException {
        NvmeNamespace ns = (NvmeNamespace) p.device();
        MapView.await(p + " reconnected", Duration.ofSeconds(20), () -> ns.controllerState() == ControllerState.LIVE,
                () -> "controller " + ns.controllerState());
    }

    @Test
    void ioKeepsFlowingWithVerifiedDataAcrossAConnectionReset() throws Exception {
        MapView map = failoverMap("nvreset", "0");
        MappedDevice dev = dm.get("nvreset");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the reset");
            assertEquals(0, MapView.ios(b));
            long events = dev.eventNr();
            san.target.setFault(1, SimFault.parse("reset", null));
            MapView.await("path " + a + " failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "after the reset");
            assertEquals(expectedStatus(2, a, "F 1", b, "A 0"), map.status());
            assertTrue(dev.eventNr() > events, "the path failure raised an event");

            awaitLive(a);
            dm.message("nvreset", 0, List.of("reinstate_path", a.name()));
            dm.message("nvreset", 0, List.of("switch_group", "1"));
            long before = MapView.ios(a);
            io.awaitProgress(400, Duration.ofSeconds(20), "after switching back");
            assertTrue(MapView.ios(a) > before, "I/O went back to the reconnected path");
            assertEquals(expectedStatus(1, a, "A 1", b, "A 0"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the reset");
    }

    @Test
    void ioKeepsFlowingAcrossASilentHangFoundByKeepAliveWithinTheTimeoutTheTableAsksFor() throws Exception {
        // the provider's own keep-alive is 1 s; the table's URLs ask for 600 ms
        MapView map = failoverMap("nvhang", "0", "?timeout_ms=600");
        MappedDevice dev = dm.get("nvhang");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the hang");
            long t0 = System.nanoTime();
            san.target.setFault(1, SimFault.parse("hang", null));
            MapView.await("the hung path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(Duration.ofMillis(600), ((NvmeNamespace) a.device()).controller().options().kato());
            assertTrue(ms <= 600 + 500, "a hang is found within the 600 ms timeout (and a little scheduling); took " + ms + " ms");
            io.awaitProgress(400, Duration.ofSeconds(20), "after the hang");
            assertEquals(expectedStatus(2, a, "F 1", b, "A 0"), map.status());
        } finally {
            io.close();
            san.target.setFault(1, SimFault.NONE);
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the hang");
    }

    @Test
    void queueIfNoPathHoldsWritesThroughAFullOutageAndFailIfNoPathReleasesTheRest() throws Exception {
        MapView map = failoverMap("nvqueue", "1 queue_if_no_path");
        MappedDevice dev = dm.get("nvqueue");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        List<CompletableFuture<Void>> held = new ArrayList<>();
        try {
            io.awaitProgress(200, Duration.ofSeconds(20), "before the outage");
            for (int port = 1; port <= 2; port++) {
                san.target.setFault(port, SimFault.parse("refuse", null));
                san.target.setFault(port, SimFault.parse("reset", null));
            }
            MapView.await("both paths failed", Duration.ofSeconds(15), () -> !a.active() && !b.active(), map::status);
            for (int i = 0; i < 8; i++) {
                ByteBuffer w = ByteBuffer.allocateDirect(VerifiedIo.BLOCK);
                VerifiedIo.fill(w, BLOCKS + i, 77);
                held.add(dev.submit(Bio.write((BLOCKS + i) * 8, w, 0)));
            }
            long ios = io.ios();
            Thread.sleep(1500);
            assertEquals(ios, io.ios(), "no I/O completes while no path is left");
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "held writes neither complete nor fail");
            assertEquals("0 " + SECTORS + " multipath 2 0 0 0 2 1 E 0 1 0 " + a.name() + " F 1 E 0 1 0 " + b.name() + " F 1 ",
                    map.status());

            san.target.setFault(2, SimFault.NONE);
            awaitLive(b);
            dm.message("nvqueue", 0, List.of("reinstate_path", b.name()));
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            io.awaitProgress(200, Duration.ofSeconds(20), "after port 2 returned");
            assertEquals(expectedStatus(2, a, "F 1", b, "A 1"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "writes held through the outage completed, and read back right");
        for (int i = 0; i < 8; i++) {
            ByteBuffer r = ByteBuffer.allocateDirect(VerifiedIo.BLOCK);
            dev.submit(Bio.read((BLOCKS + i) * 8, r)).get(20, TimeUnit.SECONDS);
            assertEquals(-1, VerifiedIo.mismatch(r, BLOCKS + i, 77), "held write " + i + " reached the namespace");
        }

        // a second outage, ended by the operator instead: fail_if_no_path fails what is held
        san.target.setFault(2, SimFault.parse("refuse", null));
        san.target.setFault(2, SimFault.parse("reset", null));
        List<CompletableFuture<Void>> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            more.add(dev.submit(Bio.write(i * 8L, ByteBuffer.allocateDirect(4096), 0)));
        }
        // a path fails on I/O (the daemon's checker would notice an idle one)
        MapView.await("port 2's path failed again and 4 writes held", Duration.ofSeconds(15),
                () -> !b.active() && map.target().queuedBios() == 4, map::status);
        assertEquals("0 " + SECTORS + " multipath 2 0 0 0 2 1 E 0 1 0 " + a.name() + " F 1 E 0 1 0 " + b.name() + " F 2 ",
                map.status(), "the fail count goes on counting");
        dm.message("nvqueue", 0, List.of("fail_if_no_path"));
        for (CompletableFuture<Void> f : more) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertEquals(BlkStatus.IOERR, BioException.statusOf(e.getCause()), e.getCause().getMessage());
        }
    }

    @Test
    void anaIoGoesToTheOptimizedPortAndMovesWhenItBecomesInaccessible() throws Exception {
        MapView map = failoverMap("nvana", "0");
        MappedDevice dev = dm.get("nvana");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        assertEquals(AnaState.OPTIMIZED, ((NvmeNamespace) a.device()).anaState().orElseThrow());
        assertEquals(AnaState.NON_OPTIMIZED, ((NvmeNamespace) b.device()).anaState().orElseThrow());
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "through the optimized port");
            assertTrue(MapView.ios(a) > 0);
            assertEquals(0, MapView.ios(b), "nothing goes to the non-optimized port");
            san.target.setAnaState(2, NvmeSan.ANA_GROUP, AnaState.OPTIMIZED);
            san.target.setAnaState(1, NvmeSan.ANA_GROUP, AnaState.INACCESSIBLE);
            MapView.await("the inaccessible path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "through the newly optimized port");
            assertEquals(expectedStatus(2, a, "F 1", b, "A 0"), map.status());
            assertEquals(AnaState.INACCESSIBLE, ((NvmeNamespace) a.device()).anaState().orElseThrow(),
                    "the host read the changed ANA log after the event");
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors());
    }
}
