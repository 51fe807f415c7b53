package io.mapperd.prioritizers;

import io.mapperd.checkers.SimSan;
import io.mapperd.checkers.TestPath;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alua prioritizer reading target port group states from target-sim, and following changes. */
class AluaPrioritizerOverSimTest {
    @TempDir
    static Path dir;
    static SimSan san;
    static IscsiLun a;
    static IscsiLun b;
    final Prioritizer alua = PrioritizerRegistry.builtin().get("alua");

    @BeforeAll
    static void start() throws Exception {
        san = SimSan.start(dir);
        a = san.open(0);
        b = san.open(1);
    }

    @AfterAll
    static void stop() {
        if (san != null) {
            san.close();
        }
    }

    @AfterEach
    void reset() throws Exception {
        san.reset();
    }

    int prio(IscsiLun lun, String args) {
        return alua.getprio(TestPath.of(lun), args, Duration.ofSeconds(5));
    }

    @Test
    void optimizedNonOptimizedStandbyUnavailableGiveFiftyTenOneZero() {
        // group 16 is active/optimized and preferred: the preferred bit adds nothing to an optimized path
        assertEquals(50, prio(a, ""));
        assertEquals(10, prio(b, ""));
        san.state(SimSan.GROUP_B, AluaState.STANDBY);
        assertEquals(1, prio(b, ""));
        san.state(SimSan.GROUP_B, AluaState.UNAVAILABLE);
        assertEquals(0, prio(b, ""));
        san.state(SimSan.GROUP_B, AluaState.TRANSITIONING);
        assertEquals(0, prio(b, ""));
        san.state(SimSan.GROUP_B, AluaState.OFFLINE);
        assertEquals(0, prio(b, ""));
    }

    @Test
    void thePreferredBitAddsEightyToAnythingButOptimizedUnlessExclusive() {
        assertEquals(130, prio(a, "exclusive_pref_bit"));
        assertEquals(50, prio(a, "exclusive_pref_bitx"), "only the whole word counts");
        san.state(SimSan.GROUP_A, AluaState.ACTIVE_NON_OPTIMIZED);
        assertEquals(90, prio(a, ""));
        san.state(SimSan.GROUP_A, AluaState.STANDBY);
        assertEquals(81, prio(a, null));
    }

    @Test
    void aRunTimeStateChangeIsFollowed() {
        assertTrue(prio(a, "") > prio(b, ""));
        san.state(SimSan.GROUP_A, AluaState.STANDBY);
        san.state(SimSan.GROUP_B, AluaState.ACTIVE_OPTIMIZED);
        assertEquals(50, prio(b, ""));
        assertEquals(81, prio(a, ""));
        san.state(SimSan.GROUP_A, AluaState.ACTIVE_OPTIMIZED);
        san.state(SimSan.GROUP_B, AluaState.ACTIVE_NON_OPTIMIZED);
        assertEquals(50, prio(a, ""));
        assertEquals(10, prio(b, ""));
    }

    @Test
    void aPathWhosePortalHasGoneCannotBePrioritized(@TempDir Path d2) throws Exception {
        // a simulator of its own: the shared sessions above stay undisturbed
        try (SimSan other = SimSan.start(d2)) {
            IscsiLun c = other.open(1);
            assertEquals(10, prio(c, ""));
            other.portal(1).down();
            // once the initiator has seen the drop: an INQUIRY sent just before could still be answered,
            // and the failure would then be the RTPG that follows (GETAAS_FAILED)
            await().atMost(Duration.ofSeconds(5)).until(() -> c.session().state() != IscsiSession.State.LOGGED_IN);
            // VPD page 0x83 is read over the wire (multipath-tools reads sysfs' cached copy), so the
            // group lookup is what fails first: "couldn't get target port group"
            assertEquals(AluaPrioritizer.RTPG_FAILED, prio(c, ""));
        }
    }
}
