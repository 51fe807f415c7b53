package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mapperd.multipathd.engine.OperatorPathCommandsTest.run;
import static io.mapperd.multipathd.engine.OperatorPathCommandsTest.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `del map`, `add map` and the last path of a map deleted, as multipathd 0.9.4 does them, over target-sim. */
class OperatorMapCommandsTest {
    @TempDir
    Path dir;

    @Test
    void delMapIsRefusedWhileOpenFlushesWhenClosedAndAddMapBringsItBack() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.startImmediateFailback();
            MapView m = CheckerLoopTest.ready(f, e);
            MappedDevice md = f.dm.get(m.name());
            md.open();
            ExecutionException busy = assertThrows(ExecutionException.class, () -> run(e.delMap(m.name())));
            assertTrue(busy.getCause().getMessage().contains("can't flush"), busy.getCause().getMessage());
            assertTrue(f.dm.find(m.name()).isPresent());
            assertEquals(4, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
            md.close();

            assertEquals("ok", run(e.delMap(m.name())));
            assertTrue(f.dm.find(m.name()).isEmpty());
            assertNull(CheckerLoopTest.map(e, SanFixture.WWID0));
            // its paths stay, unmapped, through checks and discovery passes
            TimeUnit.SECONDS.sleep(5);
            assertNull(CheckerLoopTest.map(e, SanFixture.WWID0));
            List<PathView> orphans = e.paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID0)).toList();
            assertEquals(4, orphans.size());
            assertTrue(orphans.stream().allMatch(p -> p.map().equals("[orphan]")), orphans.toString());

            assertEquals("ok", run(e.addMap(SanFixture.WWID0)));
            MapView back = CheckerLoopTest.map(e, SanFixture.WWID0);
            assertEquals(4, back.pathCount());
            assertEquals(m.name(), back.name());
            assertTrue(f.dm.find(m.name()).isPresent());
            assertEquals("ok", run(e.addMap(m.name())), "an existing map");
        }
    }

    @Test
    void addMapFindsTheWwidOfAnAliasAndRefusesABlacklistedWwid() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            String conf = f.config("", "multipaths {\n\tmultipath {\n\t\twwid " + SanFixture.WWID1 + "\n\t\talias data\n\t}\n}\n"
                    + "blacklist {\n\twwid \"^3600dead\"\n}\n" + CheckerLoopTest.device("immediate", ""));
            Engine e = f.start(conf);
            SanFixture.await("map data", Duration.ofSeconds(30), () -> CheckerLoopTest.map(e, SanFixture.WWID1) != null);
            assertEquals("ok", run(e.delMap("data")));
            assertEquals("ok", run(e.addMap("data")));
            assertEquals("data", CheckerLoopTest.map(e, SanFixture.WWID1).name());
            assertEquals(MapMembership.BLACKLISTED, run(e.addMap("3600deadbeef")));
            ExecutionException none = assertThrows(ExecutionException.class, () -> run(e.addMap("3600aaaa")));
            assertTrue(none.getCause().getMessage().contains("add map failed"), none.getCause().getMessage());
        }
    }

    @Test
    void deletingTheLastPathFlushesAClosedMapAndEmptiesAnOpenOne() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("\tflush_on_last_del yes\n", CheckerLoopTest.device("immediate", "")));
            CheckerLoopTest.ready(f, e);
            SanFixture.await("map of LUN 1", Duration.ofSeconds(30), () -> CheckerLoopTest.map(e, SanFixture.WWID1) != null
                    && CheckerLoopTest.map(e, SanFixture.WWID1).pathCount() == 4);
            String closedName = CheckerLoopTest.map(e, SanFixture.WWID1).name();
            for (PathView p : e.paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID1)).toList()) {
                assertEquals("ok", run(e.delPath(p.dev())));
            }
            assertNull(CheckerLoopTest.map(e, SanFixture.WWID1));
            assertTrue(f.dm.find(closedName).isEmpty(), "flushed");

            String openName = CheckerLoopTest.map(e, SanFixture.WWID0).name();
            MappedDevice md = f.dm.get(openName);
            List<PathView> lun0 = e.paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID0)).toList();
            md.open();
            try {
                for (PathView p : lun0) {
                    assertEquals("ok", run(e.delPath(p.dev())));
                }
                MapView empty = CheckerLoopTest.map(e, SanFixture.WWID0);
                assertEquals(0, empty.pathCount());
                // flush_on_last_del: queueing off before the flush, and the table holds no path groups
                assertEquals("0 " + md.sizeSectors() + " multipath 0 0 0 0", table(f, openName).strip());
                assertTrue(e.paths().isEmpty(), "every path was deleted: " + e.paths());

                PathView first = lun0.getFirst();
                assertEquals("ok", run(e.addPath(first.dev())));
                assertEquals(1, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
                assertTrue(table(f, openName).contains(" " + first.devT() + " "), table(f, openName));
            } finally {
                md.close();
            }
        }
    }
}
