package io.mapperd.hwhandlers.multipath;

import io.mapperd.checkers.SimSan;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.targets.multipath.PgPath;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multipath target over two real iSCSI paths: a DeviceMapper with a multipath table naming
 * {@code iscsi://} LUNs of target-sim (one LUN behind portal 127.0.0.1, port group 16,
 * active/optimized, and portal 127.0.0.2, port group 17, active/non-optimized), no multipathd.
 * Faults are the simulator's: a portal reset (TCP RST), a silent hang (found by the session's
 * NOP-Out timeout), a portal taken down, ALUA state changes.
 */
class MultipathOverIscsiTest {
    /** A hung portal is noticed within noop interval + noop timeout (2 s); a lost session is given up after 1 s. */
    static final SessionConfig SESSION = SessionConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500),
            Duration.ofMillis(1500), Duration.ofSeconds(1));
    static final long SECTORS = (64L << 20) >> 9;
    static final long BLOCKS = 2048;

    @TempDir
    Path dir;
    SimSan san;
    IscsiDeviceProvider iscsi;
    DeviceMapper dm;

    @BeforeEach
    void start() throws Exception {
        san = SimSan.start(dir);
        iscsi = new IscsiDeviceProvider(SESSION);
        dm = new DeviceMapper();
        dm.addProvider(iscsi);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            san.reset();
        } finally {
            dm.close();
            iscsi.close();
            san.close();
        }
    }

    /** Two groups of one path each: portal 0 first (group 1), portal 1 second (group 2). */
    MapView failoverMap(String name, String features, String hwHandler) throws Exception {
        return failoverMap(name, features, hwHandler, "");
    }

    /** {@code urlOptions}: appended to both paths' URLs (e.g. {@code ?timeout_ms=1000}). */
    MapView failoverMap(String name, String features, String hwHandler, String urlOptions) throws Exception {
        MappedDevice m = dm.create(name, "", "0 " + SECTORS + " multipath " + features + " " + hwHandler
                + " 2 1 round-robin 0 1 1 " + san.url(0) + urlOptions + " 1 round-robin 0 1 1 " + san.url(1) + urlOptions + " 1", false);
        return new MapView(m);
    }

    static String expectedStatus(int pgInitCount, int activeGroup, PgPath a, String aState, PgPath b, String bState) {
        return "0 " + SECTORS + " multipath 2 0 " + pgInitCount + " 0 2 " + activeGroup + " "
                + (activeGroup == 1 ? "A" : "E") + " 0 1 0 " + a.name() + " " + aState + " "
                + (activeGroup == 2 ? "A" : "E") + " 0 1 0 " + b.name() + " " + bState + " ";
    }

    void awaitSessionsLoggedIn() throws InterruptedException {
        MapView.await("every iSCSI session logged in again", Duration.ofSeconds(20),
                () -> iscsi.sessions().stream().allMatch(s -> s.state() == IscsiSession.State.LOGGED_IN),
                () -> iscsi.sessions().stream().map(s -> s + " " + s.state()).toList().toString());
    }

    @Test
    void ioKeepsFlowingWithVerifiedDataAcrossAPortalReset() throws Exception {
        MapView map = failoverMap("mpreset", "0", "0");
        MappedDevice dev = dm.get("mpreset");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the reset");
            assertEquals(0, MapView.ios(b), "a failover map sends nothing to the second group while the first works");
            long events = dev.eventNr();
            san.portal(0).reset();
            MapView.await("path " + a + " failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "after the reset");
            assertEquals(expectedStatus(0, 2, a, "F 1", b, "A 0"), map.status(), "the path is failed once, group 2 serves");
            assertTrue(dev.eventNr() > events, "the path failure raised an event");
            assertTrue(MapView.ios(b) > 0);

            // the session logs in again by itself; the daemon's part (reinstate, switch back) by message
            awaitSessionsLoggedIn();
            dm.message("mpreset", 0, List.of("reinstate_path", a.name()));
            dm.message("mpreset", 0, List.of("switch_group", "1"));
            long before = MapView.ios(a);
            io.awaitProgress(400, Duration.ofSeconds(20), "after switching back");
            assertTrue(MapView.ios(a) > before, "I/O went back to the reinstated path");
            assertEquals(expectedStatus(0, 1, a, "A 1", b, "A 0"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the reset");
    }

    @Test
    void ioKeepsFlowingAcrossASilentHangFoundWithinTheTimeoutTheTableAsksFor() throws Exception {
        // the provider's own settings would take 2 s; the table's URLs ask for 1 s
        MapView map = failoverMap("mphang", "0", "0", "?timeout_ms=1000");
        MappedDevice dev = dm.get("mphang");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "before the hang");
            long t0 = System.nanoTime();
            san.portal(0).hang(true);
            MapView.await("the hung path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(Duration.ofSeconds(1), ((io.mapperd.transport.iscsi.IscsiLun) a.device()).session().config().commandTimeout());
            assertTrue(ms <= 1000 + 500, "a hang is found within the 1 s I/O timeout (and a little scheduling); took " + ms + " ms");
            io.awaitProgress(400, Duration.ofSeconds(20), "after the hang");
            assertEquals(expectedStatus(0, 2, a, "F 1", b, "A 0"), map.status());
        } finally {
            io.close();
            san.portal(0).hang(false);
        }
        assertEquals(List.of(), io.errors(), "no I/O error and no wrong data across the hang");
    }

    @Test
    void queueIfNoPathHoldsWritesThroughAFullOutageAndCompletesThemWhenAPortalReturns() throws Exception {
        MapView map = failoverMap("mpqueue", "1 queue_if_no_path", "0");
        MappedDevice dev = dm.get("mpqueue");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        List<CompletableFuture<Void>> held = new ArrayList<>();
        try {
            io.awaitProgress(200, Duration.ofSeconds(20), "before the outage");
            san.portal(0).down();
            san.portal(1).down();
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
            assertEquals("0 " + SECTORS + " multipath 2 0 0 0 2 1 E 0 1 0 " + a.name() + " F 1 E 0 1 0 " + b.name() + " F 1 ",
                    map.status(), "no group is current; the kernel then names group 1");

            san.portal(0).up();
            awaitSessionsLoggedInFor(0);
            dm.message("mpqueue", 0, List.of("reinstate_path", a.name()));
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            io.awaitProgress(200, Duration.ofSeconds(20), "after the portal returned");
            assertEquals(expectedStatus(0, 1, a, "A 1", b, "F 1"), map.status());
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors(), "writes held through the outage completed, and read back right");
        for (int i = 0; i < 8; i++) {
            ByteBuffer r = ByteBuffer.allocateDirect(VerifiedIo.BLOCK);
            dev.submit(Bio.read((BLOCKS + i) * 8, r)).get(20, TimeUnit.SECONDS);
            assertEquals(-1, VerifiedIo.mismatch(r, BLOCKS + i, 99), "held write " + i + " reached the LUN");
        }
    }

    void awaitSessionsLoggedInFor(int portal) throws InterruptedException {
        String addr = san.portal(portal).address();
        MapView.await("the session to " + addr + " logged in again", Duration.ofSeconds(20),
                () -> iscsi.sessions().stream().anyMatch(s -> s.toString().contains(addr) && s.state() == IscsiSession.State.LOGGED_IN),
                () -> iscsi.sessions().stream().map(s -> s + " " + s.state()).toList().toString());
    }

    @Test
    void failIfNoPathReleasesTheHeldWritesWithErrors() throws Exception {
        MapView map = failoverMap("mpfail", "1 queue_if_no_path", "0");
        MappedDevice dev = dm.get("mpfail");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        dev.submit(Bio.write(0, ByteBuffer.allocateDirect(4096), 0)).get(20, TimeUnit.SECONDS);
        san.portal(0).down();
        san.portal(1).down();
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
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            BioException be = assertInstanceOf(BioException.class, e.getCause());
            assertEquals(BlkStatus.IOERR, be.status(), be.getMessage());
        }
        assertEquals(0, map.target().queuedBios());
        assertFalse(map.table().contains("queue_if_no_path"), map.table());
        ExecutionException now = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> dev.submit(Bio.write(0, ByteBuffer.allocateDirect(4096), 0)).get(5, TimeUnit.SECONDS));
        assertEquals(BlkStatus.IOERR, BioException.statusOf(now.getCause()), "a new write fails at once");
    }

    @Test
    void aluaIoGoesToTheOptimizedGroupAndFollowsItWhenTheArrayMovesIt() throws Exception {
        MapView map = failoverMap("mpalua1", "0", "1 alua");
        MappedDevice dev = dm.get("mpalua1");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "on the optimized group");
            assertTrue(MapView.ios(a) > 0);
            assertEquals(0, MapView.ios(b), "nothing goes to the non-optimized group");
            // the array moves active/optimized to port group 17 by itself (implicit ALUA)
            san.state(SimSan.GROUP_B, AluaState.ACTIVE_OPTIMIZED);
            san.state(SimSan.GROUP_A, AluaState.STANDBY);
            MapView.await("the standby path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "on the new optimized group");
            assertEquals(expectedStatus(1, 2, a, "F 1", b, "A 0"), map.status(), "group 2 initialised once (RTPG) and serving");
            assertNotEquals(1, san.sim().group(SimSan.GROUP_B).statusCode(), "already optimized: no STPG was needed");
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors());
    }

    @Test
    void aluaStandbyOnTheOptimizedGroupMakesPgInitSendStpgToTheOther() throws Exception {
        MapView map = failoverMap("mpalua2", "0", "1 alua");
        MappedDevice dev = dm.get("mpalua2");
        PgPath a = map.path(1, 0);
        PgPath b = map.path(2, 0);
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "on the optimized group");
            assertEquals(0, MapView.ios(b));
            san.state(SimSan.GROUP_A, AluaState.STANDBY);
            MapView.await("the standby path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "on group 2 after pg_init");
            assertEquals(AluaState.ACTIVE_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state(),
                    "pg_init of group 2 asked for active/optimized");
            assertEquals(1, san.sim().group(SimSan.GROUP_B).statusCode(), "altered by SET TARGET PORT GROUPS");
            assertEquals(expectedStatus(1, 2, a, "F 1", b, "A 0"), map.status());
            assertTrue(MapView.ios(b) > 0);
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors());
    }
}
