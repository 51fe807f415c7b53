package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.MapView;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ghost_delay over target-sim: the paths are found while active but kept unmapped
 * (find_multipaths strict, no WWID known), every ALUA group goes to standby, then a reconfigure
 * wants the maps: a map of ghost paths only waits for an active path (made at once when one comes
 * up), at most ghost_delay seconds. (target-sim's standby ports refuse READ CAPACITY, as SPC-4 has
 * it, so paths cannot be discovered while in standby.)
 */
class GhostDelayTest {
    @TempDir
    Path dir;

    static boolean allGhosts(Engine e) {
        return e.paths().size() == 8 && e.paths().stream().allMatch(p -> p.checkerState().equals("ghost"));
    }

    /** Paths found, unmapped, then all in standby; then a configuration with {@code defaults} that maps them. */
    static Engine ghostsThenMapped(SanFixture f, String defaults) throws Exception {
        String device = CheckerLoopTest.device("immediate", "");
        Engine e = f.start(f.config("\tfind_multipaths strict\n", device));
        SanFixture.await("8 paths checked", Duration.ofSeconds(30), () -> e.paths().size() == 8
                && e.paths().stream().allMatch(p -> p.checkerState().equals("ready")));
        assertTrue(e.maps().isEmpty(), "find_multipaths strict keeps them unmapped");
        f.sim.setGroupState(1, AluaState.STANDBY);
        f.sim.setGroupState(2, AluaState.STANDBY);
        SanFixture.await("every path a ghost", Duration.ofSeconds(30), () -> allGhosts(e));
        f.rewrite(f.config(defaults, device));
        assertTrue(e.reconfigure(false).get(30, TimeUnit.SECONDS).ok());
        return e;
    }

    @Test
    void aMapOfGhostsWaitsForAnActivePathAndIsMadeAsSoonAsOneComesUp() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = ghostsThenMapped(f, "\tghost_delay 30\n");
            TimeUnit.SECONDS.sleep(2);
            assertTrue(e.maps().isEmpty(), "no map while only ghosts: " + e.maps());
            assertTrue(f.dm.list().isEmpty());
            assertEquals("ok", e.addMap(SanFixture.WWID0).get(30, TimeUnit.SECONDS), "add map: registered, still waiting");
            assertTrue(f.dm.list().isEmpty());
            long t0 = System.nanoTime();
            f.sim.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
            SanFixture.await("the maps, once paths are up", Duration.ofSeconds(20), () -> e.maps().size() == 2);
            assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 20, "well before ghost_delay ran out");
            MapView m = CheckerLoopTest.map(e, SanFixture.WWID0);
            assertEquals(4, m.pathCount());
        }
    }

    @Test
    void withoutAnActivePathTheMapIsMadeWhenGhostDelayRunsOut() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            long t0 = System.nanoTime();
            Engine e = ghostsThenMapped(f, "\tghost_delay 4\n");
            assertTrue(e.maps().isEmpty(), "waiting");
            SanFixture.await("the maps after ghost_delay", Duration.ofSeconds(20), () -> e.maps().size() == 2);
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited >= 3000, "waited " + waited + " ms");
            MapView m = CheckerLoopTest.map(e, SanFixture.WWID0);
            assertEquals(4, m.pathCount());
            assertTrue(m.groups().stream().flatMap(g -> g.paths().stream()).allMatch(p -> p.checkerState().equals("ghost")));
        }
    }

    @Test
    void withoutGhostDelayAMapOfGhostsIsMadeAtOnce() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = ghostsThenMapped(f, "");
            SanFixture.await("the maps", Duration.ofSeconds(5), () -> e.maps().size() == 2);
            assertNull(e.maps().stream().filter(m -> m.pathCount() != 4).findFirst().orElse(null));
        }
    }
}
