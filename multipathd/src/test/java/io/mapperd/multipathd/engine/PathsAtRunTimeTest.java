package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.MapView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Paths that were not there at start join their maps later, under I/O, without an error. */
class PathsAtRunTimeTest {
    @TempDir
    Path dir;

    @Test
    void aPortalThatComesUpLaterAddsItsPathsToTheLiveMapsWithoutDisturbingIo() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            f.portal(3).down();
            Engine e = f.startImmediateFailback();
            SanFixture.await("maps of three paths", Duration.ofSeconds(30), () -> e.maps().size() == 2
                    && e.maps().stream().allMatch(m -> m.pathCount() == 3));
            long loads = CheckerLoopTest.map(e, SanFixture.WWID0).mapLoads();
            try (VerifiedWorkload w = new VerifiedWorkload(f.dm.get(SanFixture.WWID0), 2)) {
                w.awaitProgress(50, 30);
                f.portal(3).up();
                SanFixture.await("the fourth path in each map", Duration.ofSeconds(30),
                        () -> e.maps().stream().allMatch(m -> m.pathCount() == 4));
                w.awaitProgress(50, 30);
                w.close();
                assertEquals(List.of(), w.errors);
            }
            MapView m = CheckerLoopTest.map(e, SanFixture.WWID0);
            assertEquals(loads + 1, m.mapLoads(), "one reload for the new path");
            assertEquals(2, m.groups().get(1).paths().size());
        }
    }
}
