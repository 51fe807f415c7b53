package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `del path` and `add path` as multipathd 0.9.4 does them, under a verified workload, over target-sim. */
class OperatorPathCommandsTest {
    @TempDir
    Path dir;

    static String run(java.util.concurrent.CompletableFuture<String> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    static String table(SanFixture f, String name) throws Exception {
        return f.dm.get(name).activeTable().lines(io.mapperd.dm.core.StatusType.TABLE).getFirst();
    }

    @Test
    void delPathTakesItOutOfItsMapForGoodAndAddPathBringsItBackWithoutAnIoError() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.startImmediateFailback();
            MapView m = CheckerLoopTest.ready(f, e);
            // a path of the active group, the one carrying I/O
            PathView victim = e.paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID0)
                    && p.targetWwpn().equals(f.portal(0).address())).findFirst().orElseThrow();
            try (VerifiedWorkload w = new VerifiedWorkload(f.dm.get(m.name()), 2)) {
                w.awaitProgress(50, 30);
                assertEquals("ok", run(e.delPath(victim.dev())));
                assertEquals(3, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
                assertFalse(table(f, m.name()).contains(victim.devT() + " "), table(f, m.name()));
                assertTrue(e.paths().stream().noneMatch(p -> p.dev().equals(victim.dev())), "show paths leaves it out");
                w.awaitProgress(50, 30);
                // discovery passes (every 2 s here) and checks do not take it back
                TimeUnit.SECONDS.sleep(5);
                assertTrue(e.paths().stream().noneMatch(p -> p.dev().equals(victim.dev())), "rediscovered");
                assertEquals(3, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
                ExecutionException gone = assertThrows(ExecutionException.class, () -> run(e.delPath(victim.dev())));
                assertTrue(gone.getCause().getMessage().contains("path already removed"), gone.getCause().getMessage());

                assertEquals("ok", run(e.addPath(victim.dev())));
                MapView back = CheckerLoopTest.map(e, SanFixture.WWID0);
                assertEquals(4, back.pathCount());
                assertTrue(table(f, m.name()).contains(victim.devT() + " "), table(f, m.name()));
                assertEquals("ok", run(e.addPath(victim.dev())), "a path already in its map");
                w.awaitProgress(50, 30);
                w.close();
                assertEquals(List.of(), w.errors);
            }
            SanFixture.await("the path taken back is active", Duration.ofSeconds(20), () -> e.paths().stream()
                    .anyMatch(p -> p.dev().equals(victim.dev()) && p.dmState().equals("active")));
        }
    }

    @Test
    void addPathAnswersBlacklistedForADevnodeTheBlacklistRefusesAndFailsForAnUnknownName() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", "blacklist {\n\tdevnode \"^sdz\"\n}\n" + CheckerLoopTest.device("immediate", "")));
            CheckerLoopTest.ready(f, e);
            assertEquals(MapMembership.BLACKLISTED, run(e.addPath("sdz")));
            ExecutionException x = assertThrows(ExecutionException.class, () -> run(e.addPath("sdy")));
            assertTrue(x.getCause().getMessage().contains("sdy: can't find path"), x.getCause().getMessage());
        }
    }

    @Test
    void addPathAfterABlacklistingReconfigureAnswersBlacklisted() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            String device = CheckerLoopTest.device("immediate", "");
            Engine e = f.start(f.config("", device));
            CheckerLoopTest.ready(f, e);
            PathView p = e.paths().getFirst();
            f.rewrite(f.config("", "blacklist {\n\twwid \"" + p.wwid() + "\"\n}\n" + device));
            assertTrue(e.reconfigure(false).get(30, TimeUnit.SECONDS).ok());
            assertEquals(MapMembership.BLACKLISTED, run(e.addPath(p.dev())));
        }
    }
}
