package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flapping and marginal paths are held back before they are reinstated. */
class MarginalPathTest {
    @TempDir
    Path dir;

    static PathView path(Engine e, String devT) {
        return e.paths().stream().filter(p -> p.devT().equals(devT)).findFirst().orElseThrow();
    }

    static void flap(SanFixture f, Engine e, String devT) throws Exception {
        f.portal(0).down();
        SanFixture.await(devT + " failed", Duration.ofSeconds(20), () -> path(e, devT).dmState().equals("failed"));
        f.portal(0).up();
    }

    @Test
    void sanPathErrHoldsAPathThatFailedMoreThanThresholdTimesForTheRecoveryTime() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("\tsan_path_err_threshold 1\n\tsan_path_err_forget_rate 100\n\tsan_path_err_recovery_time 4\n",
                    CheckerLoopTest.device("immediate", "")));
            CheckerLoopTest.ready(f, e);
            String dev = CheckerLoopTest.devsOnPortal(e, f, 0, SanFixture.WWID0).getFirst();
            flap(f, e, dev);
            SanFixture.await("first return reinstated at once", Duration.ofSeconds(20),
                    () -> path(e, dev).dmState().equals("active"));
            flap(f, e, dev);
            SanFixture.await("second return held back", Duration.ofSeconds(20),
                    () -> path(e, dev).checkerState().equals("delayed"));
            assertEquals("failed", path(e, dev).dmState());
            assertEquals("marginal", path(e, dev).marginal());
            long held = System.nanoTime();
            SanFixture.await("reinstated after the recovery time", Duration.ofSeconds(20),
                    () -> path(e, dev).dmState().equals("active"));
            assertTrue((System.nanoTime() - held) / 1_000_000 >= 2000, "held for the recovery time");
            assertEquals("normal", path(e, dev).marginal());
        }
    }

    @Test
    void aPathFailingTwiceQuicklyIsSampledAndKeptOutWhileItsIoStillFails() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            // The none checker finds every path up: only the I/O sample can tell this path is bad. An
            // operator fails and reinstates the path twice; the second return is sampled first.
            Engine e = f.start(f.config("\tmarginal_path_double_failed_time 60\n\tmarginal_path_err_sample_time 1\n"
                            + "\tmarginal_path_err_rate_threshold 10\n\tmarginal_path_err_recheck_gap_time 3\n",
                    CheckerLoopTest.device("immediate", "").replace("path_checker tur", "path_checker none")));
            CheckerLoopTest.ready(f, e);
            PathView p = e.paths().stream().filter(x -> x.targetWwpn().equals(f.portal(0).address())
                    && x.wwid().equals(SanFixture.WWID0)).findFirst().orElseThrow();
            e.failPath(p.dev()).get();
            Thread.sleep(1500);
            assertEquals("failed", path(e, p.devT()).dmState(), "an operator's fail is not undone by the checker");
            e.reinstatePath(p.dev()).get();
            SanFixture.await("first failure reinstated by the operator", Duration.ofSeconds(20),
                    () -> path(e, p.devT()).dmState().equals("active"));
            f.sim.fault(f.portal(0).address(), "sense", java.util.List.of("3", "11", "00"));
            e.failPath(p.dev()).get();
            e.reinstatePath(p.dev()).get();
            SanFixture.await("marked marginal after the I/O sample", Duration.ofSeconds(20),
                    () -> path(e, p.devT()).marginal().equals("marginal"));
            assertEquals("failed", path(e, p.devT()).dmState());
            f.sim.fault(f.portal(0).address(), "sense", java.util.List.of("off"));
            SanFixture.await("clean sample after the recheck gap: reinstated", Duration.ofSeconds(30),
                    () -> path(e, p.devT()).dmState().equals("active") && path(e, p.devT()).marginal().equals("normal"));
        }
    }
}
