package io.mapperd.checkers;

import io.mapperd.dm.io.DevT;
import io.mapperd.prioritizers.AluaPrioritizer;
import io.mapperd.prioritizers.PrioritizerRegistry;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against tgtd (no ALUA): tur and the reading checkers work; alua says "not supported". */
class TgtdCheckersTest {
    @TempDir
    static Path dir;
    static TgtdPeer tgtd;
    static IscsiSession session;
    static IscsiLun lun;

    @BeforeAll
    static void start() throws Exception {
        tgtd = TgtdPeer.start(dir);
        session = IscsiSession.login("127.0.0.1", tgtd.port, TgtdPeer.IQN, SessionConfig.defaults()).get(30, TimeUnit.SECONDS);
        lun = IscsiLun.open(session, 1, tgtd.url(), new DevT(8, 0), false).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void turDirectioAndReadsector0AreUp() throws Exception {
        for (String name : new String[]{"tur", "directio", "readsector0"}) {
            try (Checker c = CheckerRegistry.builtin().create(name, Duration.ofSeconds(5))) {
                CheckResult r = c.check(TestPath.of(lun)).get(10, TimeUnit.SECONDS);
                assertEquals(PathState.UP, r.state(), name + ": " + r);
            }
        }
    }

    @Test
    void anOfflineLogicalUnitIsDownForTur() throws Exception {
        tgtd.adm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "--params", "online=0");
        try (Checker c = CheckerRegistry.builtin().create("tur", Duration.ofSeconds(5))) {
            assertEquals(PathState.DOWN, c.check(TestPath.of(lun)).get(10, TimeUnit.SECONDS).state());
        } finally {
            tgtd.adm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "--params", "online=1");
        }
    }

    @Test
    void aluaIsNotSupported() {
        assertEquals(AluaPrioritizer.NOT_SUPPORTED,
                PrioritizerRegistry.builtin().get("alua").getprio(TestPath.of(lun), "", Duration.ofSeconds(5)));
    }
}
