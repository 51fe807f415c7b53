package io.mapperd.multipathd.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.mapperd.multipathd.engine.MarginalPathTest.flap;
import static io.mapperd.multipathd.engine.MarginalPathTest.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * delay_watch_checks / delay_wait_checks over target-sim, as 0.9.4 runs them: through
 * san_path_err_* (threshold 1), a path's second return within the watch is held back for
 * delay_wait_checks × max_polling_interval seconds; one option alone does nothing.
 */
class DelayChecksTest {
    @TempDir
    Path dir;

    @Test
    void aPathThatFailsAgainWithinTheWatchIsHeldBackForTheWaitChecks() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("\tdelay_watch_checks 100\n\tdelay_wait_checks 1\n",
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
            long held = System.nanoTime();
            SanFixture.await("reinstated after 1 x max_polling_interval (4 s)", Duration.ofSeconds(20),
                    () -> path(e, dev).dmState().equals("active"));
            assertTrue((System.nanoTime() - held) / 1_000_000 >= 3000, "held for about the recovery time");
        }
    }

    @Test
    void delayWatchChecksAloneHoldsNothingBack() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("\tdelay_watch_checks 100\n", CheckerLoopTest.device("immediate", "")));
            CheckerLoopTest.ready(f, e);
            String dev = CheckerLoopTest.devsOnPortal(e, f, 0, SanFixture.WWID0).getFirst();
            for (int i = 0; i < 3; i++) {
                flap(f, e, dev);
                SanFixture.await("return " + (i + 1) + " reinstated at once", Duration.ofSeconds(20),
                        () -> path(e, dev).dmState().equals("active"));
            }
        }
    }
}
