package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.stats.PathFailReason;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters a failover map keeps for the daemon's metrics: per-path I/O, failures by reason,
 * failovers, group switches and the group serving I/O. Paths are mapped devices over one file,
 * killed by loading the error target into them.
 */
class MultipathStatsTest extends PathsOverOneFile {
    static final long SECTORS = 8192;

    MultipathStatsTest() {
        super(SECTORS);
    }

    @BeforeEach
    void createPaths() throws Exception {
        path("pa");
        path("pb");
    }

    private MappedDevice failoverMap() throws DmException {
        return dm.create("mp", null, "0 " + SECTORS + " multipath 0 0 2 1 round-robin 0 1 1 /dev/mapper/pa 1"
                + " round-robin 0 1 1 /dev/mapper/pb 1", false);
    }

    private static void write(MappedDevice md, int n) {
        for (int i = 0; i < n; i++) {
            md.submit(Bio.write(i * 8L, ByteBuffer.allocate(4096), 0)).join();
        }
    }

    @Test
    void ioIsCountedOnThePathThatServedIt() throws Exception {
        MappedDevice md = failoverMap();
        write(md, 5);
        MultipathTarget t = target(md);
        PgPath a = t.groups().get(0).paths().getFirst();
        PgPath b = t.groups().get(1).paths().getFirst();
        assertEquals(5, a.ioStats().ops(BioOp.WRITE));
        assertEquals(5 * 4096, a.ioStats().bytes(BioOp.WRITE));
        assertEquals(0, b.ioStats().ops(BioOp.WRITE));
        assertEquals(1, t.activeGroup());
        assertEquals(2, t.validPaths());
        assertEquals(0, t.groupSwitches());
    }

    @Test
    void aPathErrorFailsThePathForIoErrorCountsAFailoverAndASwitch() throws Exception {
        MappedDevice md = failoverMap();
        write(md, 2);
        kill("pa");
        write(md, 3);
        MultipathTarget t = target(md);
        PgPath a = t.groups().get(0).paths().getFirst();
        PgPath b = t.groups().get(1).paths().getFirst();
        assertFalse(a.active());
        assertEquals(1, a.failures(PathFailReason.IO_ERROR));
        assertEquals(0, a.failures(PathFailReason.MESSAGE));
        assertEquals(1, a.ioStats().errors(BioOp.WRITE));
        assertEquals(3, b.ioStats().ops(BioOp.WRITE));
        assertEquals(1, t.failovers());
        assertEquals(1, t.groupSwitches());
        assertEquals(2, t.activeGroup());
        assertEquals(1, t.validPaths());
        // the map itself saw no error: the bio was retried on the other path
        assertEquals(0, md.ioStats().errors(BioOp.WRITE));
        assertEquals(5, md.ioStats().ops(BioOp.WRITE));
    }

    @Test
    void failPathMessageCountsAsMessageAndAnIdlePathFailureIsNoFailover() throws Exception {
        MappedDevice md = failoverMap();
        write(md, 1);
        String pb = dm.get("pb").devT().toString();
        dm.message("mp", 0, List.of("fail_path", pb));
        MultipathTarget t = target(md);
        PgPath b = t.groups().get(1).paths().getFirst();
        assertEquals(1, b.failures(PathFailReason.MESSAGE));
        assertEquals(0, t.failovers());
        assertTrue(t.queueIfNoPath() == false);
        assertEquals(1, t.activeGroup());
    }
}
