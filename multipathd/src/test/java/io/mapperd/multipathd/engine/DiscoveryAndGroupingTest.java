package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery over real iSCSI to target-sim: paths, WWIDs, ALUA priorities, grouping and the table. */
class DiscoveryAndGroupingTest {
    @TempDir
    Path dir;

    @Test
    void fourPortalsTwoLunsGiveTwoMapsGroupedByAluaPriorityOptimizedFirst() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.start(f.config("", """
                    devices {
                    	device {
                    		vendor "MAPPERD"
                    		product ".*"
                    		path_grouping_policy group_by_prio
                    		prio alua
                    		failback immediate
                    		no_path_retry 3
                    	}
                    }"""));
            SanFixture.await("two maps with four paths each", Duration.ofSeconds(30),
                    () -> e.maps().size() == 2 && e.maps().stream().allMatch(m -> m.pathCount() == 4
                            && m.groups().size() == 2));
            assertEquals(8, e.paths().size());
            for (PathView p : e.paths()) {
                assertTrue(p.wwid().equals(SanFixture.WWID0) || p.wwid().equals(SanFixture.WWID1), p.wwid());
                assertEquals("scsi:iscsi", p.protocol());
                assertTrue(p.dev().matches("sd[a-h]"), p.dev());
                assertEquals(p.tpg() == 1 ? 50 : 10, p.priority(), p.dev() + " in group " + p.tpg());
            }
            MapView m = e.maps().stream().filter(x -> x.wwid().equals(SanFixture.WWID0)).findFirst().orElseThrow();
            assertEquals(SanFixture.WWID0, m.name(), "no alias, no user_friendly_names: named by WWID");
            assertEquals(32L << 11, m.sizeSectors());
            assertEquals(50, m.groups().get(0).priority());
            assertEquals(10, m.groups().get(1).priority());
            assertTrue(m.groups().get(0).paths().stream().allMatch(p -> p.tpg() == 1));
            assertEquals("1 queue_if_no_path", m.features());
            String table = f.dm.get(m.name()).activeTable().lines(io.mapperd.dm.core.StatusType.TABLE).getFirst();
            assertTrue(table.startsWith("0 65536 multipath 1 queue_if_no_path 0 2 1 service-time 0 2 2 8:0 1 1 8:32 1 1 service-time 0 2 2 "), table);
            assertEquals("3 chk", m.queueing());
            List<String> mapped = m.groups().stream().flatMap(g -> g.paths().stream()).map(PathView::map).distinct().toList();
            assertEquals(List.of(m.name()), mapped);
        }
    }
}
