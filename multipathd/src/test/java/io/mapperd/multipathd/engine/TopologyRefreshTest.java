package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.multipathd.engine.table.MultipathStatus;
import io.mapperd.multipathd.view.GroupView;
import io.mapperd.multipathd.view.MapView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A topology shows the groups as the kernel has them now: multipathd reads each map's status again
 * (update_multipath) before it prints one, so a group the target chose for the first I/O a moment
 * ago shows as active, not as of the last path check.
 */
class TopologyRefreshTest {
    @TempDir
    Path dir;

    @Test
    void theGroupTheFirstReadMadeCurrentShowsActiveAtOnce() throws Exception {
        try (SanFixture f = new SanFixture(dir)) {
            Engine e = f.startImmediateFailback();
            MapView m = CheckerLoopTest.ready(f, e);
            var md = f.dm.get(m.name());
            md.submit(Bio.read(0, ByteBuffer.allocateDirect(4096))).get(30, TimeUnit.SECONDS);
            e.refreshMaps(m.name());
            String line = md.activeTable().lines(StatusType.INFO).getFirst(); // "<start> <len> multipath <status>"
            MultipathStatus kernel = MultipathStatus.parse(line.split(" ", 4)[3]);
            List<GroupView> groups = CheckerLoopTest.map(e, m.wwid()).groups();
            assertEquals(kernel.groupStates().size(), groups.size());
            for (int g = 0; g < groups.size(); g++) {
                char st = kernel.groupStates().get(g);
                assertEquals(st == 'A' ? "active" : st == 'D' ? "disabled" : "enabled", groups.get(g).status(), "group " + (g + 1));
            }
            assertEquals(1, groups.stream().filter(g -> g.status().equals("active")).count(), "one group is current after a read");
        }
    }
}
