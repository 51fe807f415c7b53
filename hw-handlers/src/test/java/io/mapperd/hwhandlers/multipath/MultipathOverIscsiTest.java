package io.mapperd.hwhandlers.multipath;

import io.mapperd.checkers.SimSan;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multipath scenarios over two real iSCSI paths ({@link IscsiPathRig}: faults are a portal
 * reset, a silent hang found by the NOP-Out timeout, a portal taken down, ALUA state changes), and
 * what only ALUA has: a path group activated by SET TARGET PORT GROUPS.
 */
class MultipathOverIscsiTest extends MultipathScenarios {
    @Override
    IscsiPathRig startRig(Path dir) throws Exception {
        return new IscsiPathRig(dir);
    }

    @Test
    void aluaStandbyOnTheOptimizedGroupMakesPgInitSendStpgToTheOther() throws Exception {
        SimSan san = ((IscsiPathRig) rig).san;
        failover("mpalua2", "0", "1 alua", "");
        VerifiedIo io = new VerifiedIo(dev, 4, BLOCKS);
        try {
            io.awaitProgress(400, Duration.ofSeconds(20), "on the optimized group");
            assertEquals(0, MapView.ios(b));
            san.state(SimSan.GROUP_A, AluaState.STANDBY);
            MapView.await("the standby path failed", Duration.ofSeconds(10), () -> !a.active(), map::status);
            io.awaitProgress(400, Duration.ofSeconds(20), "on group 2 after pg_init");
            assertEquals(AluaState.ACTIVE_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state(),
                    "pg_init of group 2 asked for active/optimized");
            assertEquals(1, san.sim().group(SimSan.GROUP_B).statusCode(), "altered by SET TARGET PORT GROUPS");
            assertEquals(expectedStatus(1, 2, "F 1", "A 0"), map.status());
            assertTrue(MapView.ios(b) > 0);
        } finally {
            io.close();
        }
        assertEquals(List.of(), io.errors());
    }
}
