package io.mapperd.hwhandlers;

import io.mapperd.checkers.CheckResult;
import io.mapperd.checkers.Checker;
import io.mapperd.checkers.CheckerRegistry;
import io.mapperd.checkers.PathState;
import io.mapperd.checkers.TestPath;
import io.mapperd.checkers.TgtdPeer;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tgtd has no ALUA: the alua handler is not supported there (SCSI_DH_DEV_UNSUPP), while tur works. */
class AluaHandlerTgtdTest {
    @TempDir
    Path dir;

    @Test
    void aluaIsNotSupportedOnTgtdButTurIsUp() throws Exception {
        try (TgtdPeer tgtd = TgtdPeer.start(dir)) {
            IscsiSession s = IscsiSession.login("127.0.0.1", tgtd.port, TgtdPeer.IQN, SessionConfig.defaults()).get(30, TimeUnit.SECONDS);
            try {
                IscsiLun lun = IscsiLun.open(s, 1, tgtd.url(), new DevT(8, 0), false).get(30, TimeUnit.SECONDS);
                AluaHandler h = new AluaHandler();
                assertEquals(PgInitResult.DEV_UNSUPP, h.probe(lun));
                TargetException e = assertThrows(TargetException.class, () -> h.attach(lun, List.of()));
                assertEquals("error attaching hardware handler", e.getMessage());
                assertEquals(19, e.errno(), "ENODEV, as scsi_dh_attach maps SCSI_DH_DEV_UNSUPP");
                assertEquals(PgInitResult.NOSYS, h.pgInit(lun).get(5, TimeUnit.SECONDS), "not attached");
                try (Checker tur = CheckerRegistry.builtin().create("tur", Duration.ofSeconds(5))) {
                    CheckResult r = tur.check(TestPath.of(lun)).get(10, TimeUnit.SECONDS);
                    assertEquals(PathState.UP, r.state(), r.toString());
                }
            } finally {
                s.close();
            }
            try (DeviceMapper dm = new DeviceMapper(); IscsiDeviceProvider p = new IscsiDeviceProvider(SessionConfig.defaults())) {
                dm.addProvider(p);
                DmException e = assertThrows(DmException.class, () -> dm.create("mptgt", "",
                        "0 2048 multipath 0 1 alua 1 1 round-robin 0 1 1 " + tgtd.url() + " 1", false));
                assertTrue(e.getMessage().contains("error attaching hardware handler"), e.getMessage());
                assertTrue(dm.list().isEmpty());
            }
        }
    }
}
