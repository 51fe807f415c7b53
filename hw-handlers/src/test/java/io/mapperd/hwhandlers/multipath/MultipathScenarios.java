package io.mapperd.hwhandlers.multipath;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.targets.multipath.PgPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multipath target over two real paths of one transport, no multipathd: a DeviceMapper with a
 * failover table (group 1: path 0, group 2: path 1) naming the volume of a {@link PathRig}, and
 * the simulator's faults on those paths. Each transport's test class supplies its rig; each
 * scenario here runs once per transport.
 */
abstract class MultipathScenarios {
    static final long SECTORS = (64L << 20) >> 9;
    static final long BLOCKS = 2048;

    @TempDir
    Path dir;
    PathRig rig;
    DeviceMapper dm;
    /** The map a scenario made with {@link #failover}, its device, and its paths (group 1's, group 2's). */
    MapView map;
    MappedDevice dev;
    PgPath a;
    PgPath b;

    /** Starts the transport's rig in {@code dir}. */
    abstract PathRig startRig(Path dir) throws Exception;

    @BeforeEach
    void start() throws Exception {
        rig = startRig(dir);
        dm = new DeviceMapper();
        dm.addProvider(rig.provider());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            rig.restore();
        } finally {
            try {
                dm.close();
            } finally {
                rig.close();
            }
        }
    }

    /** Makes the failover map {@code name}; {@code urlOptions} is appended to both paths' URLs (e.g. {@code ?timeout_ms=1000}). */
    void failover(String name, String features, String hwHandler, String urlOptions) throws Exception {
        dev = dm.create(name, "", "0 " + SECTORS + " multipath " + features + " " + hwHandler + " 2 1 round-robin 0 1 1 "
                + rig.url(0, urlOptions) + " 1 round-robin 0 1 1 " + rig.url(1, urlOptions) + " 1", false);
        map = new MapView(dev);
        a = map.path(1, 0);
        b = map.path(2, 0);
    }

    /** The status line; {@code activeGroup} 0: no group is current (the kernel then names group 1). */
    String expectedStatus(int pgInitCount, int activeGroup, String aState, String bState) {
        return "0 " + SECTORS + " multipath 2 0 " + pgInitCount + " 0 2 " + Math.max(activeGroup, 1) + " "
                + (activeGroup == 1 ? "A" : "E") + " 0 1 0 " + a.name() + " " + aState + " "
                + (activeGroup == 2 ? "A" : "E") + " 0 1 0 " + b.name() + " " + bState + " ";
    }

    @Test
    void ioKeepsFlowingWithVerifiedDataAcrossAConnectionReset() throws Exception {
        failover("mpreset", "0", "0", "");
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the reset");
            assertEquals(0, MapView.ios(b), "a failover map sends nothing to the second group while the first works");
            long events = dev.eventNr();
            rig.reset(0);
            MapView.await("path " + a + " failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "after the reset");
            assertEquals(expectedStatus(0, 2, "F 1", "A 0"), map.status(), "the path is failed once, group 2 serves");
            assertTrue(dev.eventNr() > events, "the path failure raised an event");
            assertTrue(MapView.ios(b) > 0);

            // the transport reconnects by itself; the daemon's part (reinstate, switch back) by message
            rig.awaitBack(0, a);
            dm.message("mpreset", 0, List.of("reinstate_path", a.name()));
            dm.message("mpreset", 0, List.of("switch_group", "1"));
            long before = MapView.ios(a);
            io.awaitProgress(400, Duration.ofSeconds(20), "after switching back");
            assertTrue(MapView.ios(a) > before, "I/O went back to the reinstated path");
            assertEquals(expectedStatus(0, 1, "A 1", "A 0"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the reset");
    }

    @Test
    void ioKeepsFlowingAcrossASilentHangFoundWithinTheTimeoutTheTableAsksFor() throws Exception {
        long timeout = rig.tableTimeout().toMillis();
        failover("mphang", "0", "0", "?timeout_ms=" + timeout);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the hang");
            long t0 = System.nanoTime();
            rig.hang(0, true);
            MapView.await("the hung path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(rig.tableTimeout(), rig.hangTimeout(a.device()));
            assertTrue(ms <= timeout + 500, "a hang is found within the " + timeout + " ms timeout (and a little scheduling); took "
                    + ms + " ms");
            io.awaitProgress(400, Duration.ofSeconds(20), "after the hang");
            assertEquals(expectedStatus(0, 2, "F 1", "A 0"), map.status());
        } finally {
            io.close();
            rig.hang(0, false);
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the hang");
    }

    @ParameterizedTest(name = "path {0} returns")
    @ValueSource(ints = {0, 1})
    void queueIfNoPathHoldsWritesThroughAFullOutageAndCompletesThemWhenAPathReturns(int back) throws Exception {
        failover("mpqueue", "1 queue_if_no_path", "0", "");
        PgPath returning = back == 0 ? a : b;
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        List<CompletableFuture<Void>> held = new ArrayList<>();
        try {
            io.awaitProgress(200, Duration.ofSeconds(20), "before the outage");
            rig.down(0);
            rig.down(1);
            MapView.await("both paths failed", Duration.ofSeconds(15), () -> !a.active() && !b.active(), map::status);
            for (int i = 0; i < 8; i++) {
                ByteBuffer w = ByteBuffer.allocateDirect(VerifiedIo.BLOCK);
                VerifiedIo.fill(w, BLOCKS + i, 99);
                held.add(dev.submit(Bio.write((BLOCKS + i) * 8, w, 0)));
            }
            long ios = io.ios();
            Thread.sleep(1500);
            assertEquals(ios, io.ios(), "no I/O completes while no path is left");
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "held writes neither complete nor fail");
            assertTrue(map.target().queuedBios() >= 8, "the map holds the writes: " + map.target().queuedBios());
            assertTrue(map.table().contains(" 1 queue_if_no_path "), map.table());
            assertEquals(expectedStatus(0, 0, "F 1", "F 1"), map.status(), "no group is current; the kernel then names group 1");

            rig.up(back);
            rig.awaitBack(back, returning);
            dm.message("mpqueue", 0, List.of("reinstate_path", returning.name()));
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            io.awaitProgress(200, Duration.ofSeconds(20), "after path " + back + " returned");
            assertEquals(expectedStatus(0, back + 1, back == 0 ? "A 1" : "F 1", back == 1 ? "A 1" : "F 1"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "writes held through the outage completed, and read back right");
        for (int i = 0; i < 8; i++) {
            ByteBuffer r = ByteBuffer.allocateDirect(VerifiedIo.BLOCK);
            dev.submit(Bio.read((BLOCKS + i) * 8, r)).get(20, TimeUnit.SECONDS);
            assertEquals(-1, VerifiedIo.mismatch(r, BLOCKS + i, 99), "held write " + i + " reached the volume");
        }

        // a second outage, ended by the operator instead: fail_if_no_path fails what is held
        rig.down(back);
        List<CompletableFuture<Void>> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            more.add(dev.submit(Bio.write(i * 8L, ByteBuffer.allocateDirect(4096), 0)));
        }
        // a path fails on I/O (the daemon's checker would notice an idle one)
        MapView.await("path " + back + " failed again and 4 writes held", Duration.ofSeconds(15),
                () -> !returning.active() && map.target().queuedBios() == 4, map::status);
        assertEquals(expectedStatus(0, 0, back == 0 ? "F 2" : "F 1", back == 1 ? "F 2" : "F 1"),
                map.status(), "the fail count goes on counting");
        dm.message("mpqueue", 0, List.of("fail_if_no_path"));
        for (CompletableFuture<Void> f : more) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertEquals(BlkStatus.IOERR, BioException.statusOf(e.getCause()), e.getCause().getMessage());
        }
    }

    @Test
    void failIfNoPathReleasesTheHeldWritesWithErrors() throws Exception {
        failover("mpfail", "1 queue_if_no_path", "0", "");
        dev.submit(Bio.write(0, ByteBuffer.allocateDirect(4096), 0)).get(20, TimeUnit.SECONDS);
        rig.down(0);
        rig.down(1);
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(dev.submit(Bio.write(i * 8L, ByteBuffer.allocateDirect(4096), 0)));
        }
        MapView.await("both paths failed and 8 writes held", Duration.ofSeconds(15),
                () -> !a.active() && !b.active() && map.target().queuedBios() == 8, map::status);
        Thread.sleep(300);
        assertTrue(held.stream().noneMatch(CompletableFuture::isDone));

        dm.message("mpfail", 0, List.of("fail_if_no_path"));
        for (CompletableFuture<Void> f : held) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            BioException be = assertInstanceOf(BioException.class, e.getCause());
            assertEquals(BlkStatus.IOERR, be.status(), be.getMessage());
        }
        assertEquals(0, map.target().queuedBios());
        assertFalse(map.table().contains("queue_if_no_path"), map.table());
        ExecutionException now = assertThrows(ExecutionException.class,
                () -> dev.submit(Bio.write(0, ByteBuffer.allocateDirect(4096), 0)).get(5, TimeUnit.SECONDS));
        assertEquals(BlkStatus.IOERR, BioException.statusOf(now.getCause()), "a new write fails at once");
    }

    @Test
    void ioGoesToTheOptimizedPathAndFollowsItWhenTheTargetMovesIt() throws Exception {
        failover("mpaccess", "0", rig.accessHandler(), "");
        rig.assertStartingAccess(a, b);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "through the optimized path");
            assertTrue(MapView.ios(a) > 0);
            assertEquals(0, MapView.ios(b), "nothing goes to the non-optimized path");
            rig.moveOptimizedToPath1();
            MapView.await("the path no longer usable failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "through the newly optimized path");
            int pgInits = rig.accessHandler().equals("0") ? 0 : 1;
            assertEquals(expectedStatus(pgInits, 2, "F 1", "A 0"), map.status(),
                    "group 2 initialised once by a hardware handler (RTPG), and serving");
            rig.assertMoved(a, b);
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors());
    }
}
