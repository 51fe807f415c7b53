package io.mapperd.checkers;

import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tur, directio, readsector0 and none against target-sim over real iSCSI on loopback. */
class CheckersOverSimTest {
    @TempDir
    static Path dir;
    static SimSan san;

    @BeforeAll
    static void start() throws Exception {
        san = SimSan.start(dir);
    }

    @AfterAll
    static void stop() {
        if (san != null) {
            san.close();
        }
    }

    @AfterEach
    void clearFaults() throws Exception {
        san.reset();
    }

    static CheckResult check(String checker, Duration timeout, IscsiLun lun) throws Exception {
        try (Checker c = CheckerRegistry.builtin().create(checker, timeout)) {
            return c.check(TestPath.of(lun)).get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aHealthyPathIsUpForEveryChecker() throws Exception {
        IscsiLun lun = san.open(0);
        for (String name : List.of("tur", "directio", "readsector0", "none")) {
            CheckResult r = check(name, Duration.ofSeconds(5), lun);
            assertEquals(PathState.UP, r.state(), name + ": " + r);
        }
        assertEquals("tur checker reports path is up", check("tur", Duration.ofSeconds(5), lun).message());
        assertEquals("directio checker reports path is up", check("directio", Duration.ofSeconds(5), lun).message());
    }

    @Test
    void aStandbyGroupIsGhostForTurAndDownForTheReadingCheckers() throws Exception {
        IscsiLun b = san.open(1);
        san.state(SimSan.GROUP_B, AluaState.STANDBY);
        CheckResult tur = check("tur", Duration.ofSeconds(5), b);
        assertEquals(PathState.GHOST, tur.state(), tur.toString());
        assertEquals("tur checker reports path is ghost", tur.message());
        assertEquals(PathState.DOWN, check("directio", Duration.ofSeconds(5), b).state());
        assertEquals(PathState.DOWN, check("readsector0", Duration.ofSeconds(5), b).state());

        san.state(SimSan.GROUP_B, AluaState.TRANSITIONING);
        CheckResult t = check("tur", Duration.ofSeconds(5), b);
        assertEquals(PathState.PENDING, t.state());
        assertEquals("tur checker reports path is transitioning", t.message());

        san.state(SimSan.GROUP_B, AluaState.UNAVAILABLE);
        assertEquals(PathState.DOWN, check("tur", Duration.ofSeconds(5), b).state());

        san.state(SimSan.GROUP_B, AluaState.ACTIVE_NON_OPTIMIZED);
        assertEquals(PathState.UP, check("tur", Duration.ofSeconds(5), b).state());
    }

    @Test
    void aHungPortalGivesPendingWhileTheCheckRunsThenTimeoutForTurAndDownForDirectio() throws Exception {
        IscsiLun a = san.open(0);
        san.portal(0).hang(true);
        Duration timeout = Duration.ofMillis(800);
        try (Checker tur = CheckerRegistry.builtin().create("tur", timeout);
             Checker dio = CheckerRegistry.builtin().create("directio", timeout)) {
            long t0 = System.nanoTime();
            CompletableFuture<CheckResult> first = tur.check(TestPath.of(a));
            CompletableFuture<CheckResult> firstDio = dio.check(TestPath.of(a));
            CheckResult again = tur.check(TestPath.of(a)).getNow(null);
            assertEquals(PathState.PENDING, again.state(), "a second check while one is out answers at once");
            assertEquals("tur checker still running", again.message());
            assertEquals("directio checker is waiting on aio", dio.check(TestPath.of(a)).getNow(null).message());

            CheckResult r = first.get(5, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(PathState.TIMEOUT, r.state(), r.toString());
            assertEquals("tur checker timed out", r.message());
            assertTrue(ms >= 700 && ms < 2500, "timed out after " + ms + " ms with checker_timeout 800 ms");
            assertEquals(PathState.DOWN, firstDio.get(5, TimeUnit.SECONDS).state(), "directio aborts on timeout as down");
        }
        san.portal(0).hang(false);
        try (Checker tur = CheckerRegistry.builtin().create("tur", Duration.ofSeconds(2))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> tur.check(TestPath.of(a)).get(5, TimeUnit.SECONDS).state() == PathState.UP);
        }
    }

    @Test
    void aCheckAskedPastTheDeadlineOfAStillHungProbeTimesOutWithoutANewCommand() throws Exception {
        // default session timers: the hung command stays outstanding for seconds
        IscsiLun a = san.open(0, SessionConfig.defaults());
        san.portal(0).hang(true);
        try (Checker tur = CheckerRegistry.builtin().create("tur", Duration.ofMillis(300))) {
            assertEquals(PathState.TIMEOUT, tur.check(TestPath.of(a)).get(5, TimeUnit.SECONDS).state());
            assertTrue(((AsyncChecker) tur).running(), "the TEST UNIT READY is still outstanding");
            long t0 = System.nanoTime();
            CheckResult r = tur.check(TestPath.of(a)).getNow(null);
            assertEquals(PathState.TIMEOUT, r.state(), String.valueOf(r));
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    void aResetDuringTheCheckIsDown() throws Exception {
        IscsiLun a = san.open(0);
        san.portal(0).delay(1500);
        try (Checker tur = CheckerRegistry.builtin().create("tur", Duration.ofSeconds(10));
             Checker rs0 = CheckerRegistry.builtin().create("readsector0", Duration.ofSeconds(10))) {
            CompletableFuture<CheckResult> t = tur.check(TestPath.of(a));
            CompletableFuture<CheckResult> r = rs0.check(TestPath.of(a));
            Thread.sleep(200);
            san.portal(0).reset();
            assertEquals(PathState.DOWN, t.get(5, TimeUnit.SECONDS).state());
            assertEquals("tur checker reports path is down", t.get().message());
            assertEquals(PathState.DOWN, r.get(5, TimeUnit.SECONDS).state());
        }
    }

    @Test
    void aPortalThatRefusesConnectionsIsDownForEveryReadingChecker() throws Exception {
        IscsiLun a = san.open(0);
        san.portal(0).down();
        for (String name : List.of("tur", "directio", "readsector0")) {
            CheckResult r = check(name, Duration.ofSeconds(5), a);
            assertEquals(PathState.DOWN, r.state(), name + ": " + r);
        }
        assertEquals(PathState.UP, check("none", Duration.ofSeconds(5), a).state());
        san.portal(0).up();
        await().atMost(Duration.ofSeconds(20)).until(() -> check("tur", Duration.ofSeconds(2), a).state() == PathState.UP);
    }
}
