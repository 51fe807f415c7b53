package io.mapperd.transport.iscsi;

import io.mapperd.dm.io.DevT;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.mapperd.transport.iscsi.scsi.TargetPortGroups;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initiator against the Linux kernel's LIO target in the reference VM (refvm/README.md): portal
 * 13260 is TPG 1 in ALUA group 16 (active/optimized), 13261 is TPG 2 in group 17 (active/non-optimized).
 * Skipped when the VM is not running, except under CI=true, where it fails.
 */
class RefVmLioTest {
    static final String IQN = "iqn.2024-01.io.refvm:tgt1";
    static final String ANO_STATE = "/sys/kernel/config/target/core/fileio_0/file0/alua/ano/alua_access_state";

    @BeforeAll
    static void vm() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 13260), 1000);
        } catch (IOException e) {
            String msg = "the reference VM is not running (nothing on 127.0.0.1:13260); start it with tools/refvm/build-refvm.sh up";
            if (Peers.ci()) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static IscsiLun open(int port) throws Exception {
        IscsiSession s = get(IscsiSession.login("127.0.0.1", port, IQN, SessionConfig.defaults()));
        return get(IscsiLun.open(s, 0, "iscsi://127.0.0.1:" + port + "/" + IQN + "/0", new DevT(8, 0), false));
    }

    static String exec(String cmd) throws Exception {
        Path script = null;
        for (String p : List.of(System.getenv().getOrDefault("MAPPERD_ROOT", ".") + "/tools/refvm/build-refvm.sh",
                "/work/shared/refvm/build-refvm.sh")) {
            if (Files.isExecutable(Path.of(p))) {
                script = Path.of(p);
                break;
            }
        }
        if (script == null) {
            throw new AssertionError("refvm/build-refvm.sh not found");
        }
        return Peers.run(List.of(script.toString(), "exec", cmd), 30).ok(List.of("build-refvm.sh exec", cmd)).output();
    }

    @Test
    void loginWithAConstantIttAndIdentityOnBothPortals() throws Exception {
        IscsiLun a = open(13260);
        IscsiLun b = open(13261);
        try {
            assertTrue(a.standardInquiry().alua(), "LIO reports TPGS");
            DeviceIdentification da = get(a.deviceIdentification());
            DeviceIdentification db = get(b.deviceIdentification());
            assertEquals(da.logicalUnit(), db.logicalUnit());
            assertTrue(da.find(Designator.TYPE_NAA).isPresent(), da.toString());
            assertEquals(1, da.find(Designator.TYPE_RELATIVE_PORT).orElseThrow().number());
            assertEquals(2, db.find(Designator.TYPE_RELATIVE_PORT).orElseThrow().number());
            assertEquals(16, da.find(Designator.TYPE_TARGET_PORT_GROUP).orElseThrow().number());
            assertEquals(17, db.find(Designator.TYPE_TARGET_PORT_GROUP).orElseThrow().number());
            assertEquals(64L << 20, a.capacity().bytes());
        } finally {
            a.session().close();
            b.session().close();
        }
    }

    @Test
    void rtpgShowsBothGroupsAndARunTimeChangeToStandby() throws Exception {
        IscsiLun b = open(13261);
        try {
            TargetPortGroups g = get(b.reportTargetPortGroups());
            assertEquals(AluaState.ACTIVE_OPTIMIZED, g.group(16).orElseThrow().state(), g.toString());
            assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, g.group(17).orElseThrow().state(), g.toString());
            exec("echo 2 > " + ANO_STATE);
            TargetPortGroups after = get(b.reportTargetPortGroups());
            assertEquals(AluaState.STANDBY, after.group(17).orElseThrow().state(), after.toString());
            ScsiResult tur = get(b.testUnitReady());
            assertTrue(tur.condition() == ScsiCondition.ALUA_STANDBY || tur.condition() == ScsiCondition.GOOD, tur.describe());
        } finally {
            exec("echo 1 > " + ANO_STATE);
            b.session().close();
        }
    }

    @Test
    void stpgIsAcceptedExactlyWhenTheTargetOffersExplicitAlua() throws Exception {
        IscsiLun a = open(13260);
        try {
            boolean explicit = (a.standardInquiry().tpgs() & 2) != 0;
            ScsiResult r = get(a.setTargetPortGroups(Map.of(17, AluaState.ACTIVE_NON_OPTIMIZED)));
            if (explicit) {
                assertEquals(ScsiCondition.GOOD, r.condition(), r.describe());
            } else {
                assertTrue(r.condition() == ScsiCondition.ILLEGAL_REQUEST || r.condition() == ScsiCondition.INVALID_OPCODE,
                        "implicit-only ALUA refuses STPG: " + r.describe());
            }
        } finally {
            a.session().close();
        }
    }
}
