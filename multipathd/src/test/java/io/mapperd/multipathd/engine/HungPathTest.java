package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A portal that accepts commands and never answers: only its paths suffer; reads of the state never wait. */
class HungPathTest {
    @TempDir
    Path dir;

    @Test
    void aHungPortalTimesOutItsChecksWhileOtherPathsAndShowCommandsCarryOn() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.startImmediateFailback();
            CheckerLoopTest.ready(f, e);
            String hung = CheckerLoopTest.devsOnPortal(e, f, 2, SanFixture.WWID0).getFirst();
            try (VerifiedWorkload w = new VerifiedWorkload(f.dm.get(SanFixture.WWID0), 2)) {
                w.awaitProgress(20, 30);
                f.sim.fault(f.portal(2).address(), "hang", List.of());
                long worst = 0;
                long end = System.nanoTime() + 8_000_000_000L;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    List<PathView> paths = e.paths();
                    e.maps();
                    worst = Math.max(worst, System.nanoTime() - t0);
                    assertEquals(8, paths.size());
                    Thread.sleep(20);
                }
                assertTrue(worst < 50_000_000L, "reading the state took " + worst / 1_000_000 + " ms");
                SanFixture.await("the hung path failed by checker_timeout", Duration.ofSeconds(20),
                        () -> e.paths().stream().anyMatch(p -> p.devT().equals(hung) && p.dmState().equals("failed")));
                String healthy = CheckerLoopTest.devsOnPortal(e, f, 0, SanFixture.WWID0).getFirst();
                PathView h = e.paths().stream().filter(p -> p.devT().equals(healthy)).findFirst().orElseThrow();
                assertEquals("ready", h.checkerState());
                assertEquals("active", h.dmState());
                w.awaitProgress(20, 30);
                f.sim.fault(f.portal(2).address(), "up", List.of());
                SanFixture.await("the hung path back", Duration.ofSeconds(40),
                        () -> e.paths().stream().anyMatch(p -> p.devT().equals(hung) && p.dmState().equals("active")));
                w.close();
                assertEquals(List.of(), w.errors);
            }
        }
    }

    @Test
    void pathsOfATargetNoLongerConfiguredGoAwayWithTheirStaleMaps() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.startImmediateFailback();
            CheckerLoopTest.ready(f, e);
            SanFixture.await("both maps", Duration.ofSeconds(30), () -> e.maps().size() == 2);
            // The configuration now names a target the array does not have: every path of ours goes.
            f.rewrite(f.config("", CheckerLoopTest.device("immediate", "")).replace(SanFixture.IQN, SanFixture.IQN + "-gone"));
            ReconfigureResult r = e.reconfigure(false).get();
            assertTrue(r.ok(), r.text());
            SanFixture.await("stale paths and maps cleaned up", Duration.ofSeconds(30),
                    () -> e.paths().isEmpty() && e.maps().isEmpty() && f.dm.list().isEmpty());
        }
    }
}
