package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;
import io.mapperd.transport.iscsi.scsi.DeviceIdentification;
import io.mapperd.transport.iscsi.scsi.Designator;
import io.mapperd.transport.iscsi.scsi.ScsiCondition;
import io.mapperd.transport.iscsi.scsi.TargetPortGroups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static io.mapperd.sim.iscsi.SimFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our initiator against target-sim: identity on both portals, ALUA states seen and changed, typed failures. */
class SimAluaTest {
    @TempDir
    static java.nio.file.Path dir;
    static IscsiTargetSim sim;

    @BeforeAll
    static void start() throws Exception {
        sim = SimFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void bothPortalsShowTheSameLogicalUnitWithTheirOwnPortAndGroup() throws Exception {
        IscsiLun a = SimFixture.open(sim, 0, SessionConfig.defaults());
        IscsiLun b = SimFixture.open(sim, 1, SessionConfig.defaults());
        try {
            assertEquals(3, a.standardInquiry().tpgs());
            DeviceIdentification da = get(a.deviceIdentification());
            DeviceIdentification db = get(b.deviceIdentification());
            assertEquals(da.logicalUnit(), db.logicalUnit());
            assertEquals(6, da.wwid().orElseThrow().naaType());
            assertEquals(1, da.find(Designator.TYPE_RELATIVE_PORT).orElseThrow().number());
            assertEquals(2, db.find(Designator.TYPE_RELATIVE_PORT).orElseThrow().number());
            assertEquals(16, da.find(Designator.TYPE_TARGET_PORT_GROUP).orElseThrow().number());
            assertEquals(17, db.find(Designator.TYPE_TARGET_PORT_GROUP).orElseThrow().number());
            assertEquals("SIM0001", get(a.unitSerialNumber()));
            assertEquals(64L << 20, get(a.readCapacity16()).bytes());
            assertTrue(a.supportsDiscard());
        } finally {
            a.session().close();
            b.session().close();
        }
    }

    @Test
    void rtpgShowsGroupStatesAndARunTimeChangeToStandbyIsSeenAndFailsIoAsAPathError() throws Exception {
        IscsiLun b = SimFixture.open(sim, 1, SessionConfig.defaults());
        try {
            TargetPortGroups g = get(b.reportTargetPortGroups());
            assertEquals(AluaState.ACTIVE_OPTIMIZED, g.group(16).orElseThrow().state());
            assertTrue(g.group(16).orElseThrow().preferred());
            assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, g.group(17).orElseThrow().state());
            assertEquals(List.of(2), g.group(17).orElseThrow().relativePorts());

            sim.setGroupState(17, AluaState.STANDBY);
            assertEquals(AluaState.STANDBY, get(b.reportTargetPortGroups()).group(17).orElseThrow().state());
            assertEquals(ScsiCondition.ALUA_STANDBY, get(b.testUnitReady()).condition());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> get(b.submit(Bio.read(0, ByteBuffer.allocate(4096)))));
            BlkStatus st = BioException.statusOf(e.getCause());
            assertTrue(st.isPathError(), "standby is a path error, got " + st);

            sim.setGroupState(17, AluaState.TRANSITIONING);
            assertEquals(ScsiCondition.ALUA_TRANSITIONING, get(b.testUnitReady()).condition());
            sim.setGroupState(17, AluaState.UNAVAILABLE);
            assertEquals(ScsiCondition.ALUA_UNAVAILABLE, get(b.testUnitReady()).condition());
        } finally {
            sim.setGroupState(17, AluaState.ACTIVE_NON_OPTIMIZED);
            b.session().close();
        }
    }

    @Test
    void stpgIsAcceptedInExplicitModeAndChangesTheState() throws Exception {
        IscsiLun a = SimFixture.open(sim, 0, SessionConfig.defaults());
        try {
            assertEquals(ScsiCondition.GOOD, get(a.setTargetPortGroups(Map.of(17, AluaState.ACTIVE_OPTIMIZED,
                    16, AluaState.ACTIVE_NON_OPTIMIZED))).condition());
            TargetPortGroups g = get(a.reportTargetPortGroups());
            assertEquals(AluaState.ACTIVE_OPTIMIZED, g.group(17).orElseThrow().state());
            assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, g.group(16).orElseThrow().state());
            assertEquals(1, g.group(17).orElseThrow().statusCode(), "altered by SET TARGET PORT GROUPS");
            assertEquals(ScsiCondition.ILLEGAL_REQUEST, get(a.setTargetPortGroups(Map.of(99, AluaState.STANDBY))).condition());
        } finally {
            sim.setGroupState(16, AluaState.ACTIVE_OPTIMIZED);
            sim.setGroupState(17, AluaState.ACTIVE_NON_OPTIMIZED);
            a.session().close();
        }
    }

    @Test
    void stpgIsRefusedWhenTheTargetOnlyDoesImplicitAlua(@TempDir java.nio.file.Path d2) throws Exception {
        try (IscsiTargetSim implicit = SimFixture.start(d2, SimConfig.AluaMode.IMPLICIT, null, null, null, null)) {
            IscsiLun a = SimFixture.open(implicit, 0, SessionConfig.defaults());
            try {
                assertEquals(1, a.standardInquiry().tpgs());
                assertEquals(ScsiCondition.INVALID_OPCODE, get(a.setTargetPortGroups(Map.of(17, AluaState.STANDBY))).condition());
            } finally {
                a.session().close();
            }
        }
    }

    @Test
    void anInjectedMediumErrorIsADataErrorNotAPathError() throws Exception {
        IscsiLun a = SimFixture.open(sim, 0, SessionConfig.defaults());
        try {
            sim.fault(sim.portals().get(0).address(), "sense", List.of("3", "11", "00"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> get(a.submit(Bio.read(8, ByteBuffer.allocate(4096)))));
            assertEquals(BlkStatus.MEDIUM, BioException.statusOf(e.getCause()));
            assertFalse(BlkStatus.MEDIUM.isPathError());
            assertTrue(e.getCause().getMessage().contains("MEDIUM ERROR asc/ascq 11/00"), e.getCause().getMessage());
            sim.fault(sim.portals().get(0).address(), "sense", List.of("off"));
            get(a.submit(Bio.read(8, ByteBuffer.allocate(4096))));
        } finally {
            a.session().close();
        }
    }

    @Test
    void writesAndReadsWithDigestsAndR2tRoundTrip() throws Exception {
        for (SessionConfig cfg : List.of(SessionConfig.defaults(), SessionConfig.defaults().withDigests(true, true).withData(false, true))) {
            IscsiLun a = SimFixture.open(sim, 0, cfg);
            try {
                assertEquals(cfg.headerDigest(), a.session().negotiated().headerDigest());
                int chunk = 1 << 20;
                List<java.util.concurrent.CompletableFuture<Void>> ws = new java.util.ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    ws.add(a.submit(Bio.write((long) i * chunk >>> 9, pattern(chunk, i + (cfg.headerDigest() ? 100 : 0)), 0)));
                }
                for (var w : ws) {
                    get(w);
                }
                for (int i = 0; i < 16; i++) {
                    ByteBuffer got = ByteBuffer.allocateDirect(chunk);
                    get(a.submit(Bio.read((long) i * chunk >>> 9, got)));
                    assertEquals(pattern(chunk, i + (cfg.headerDigest() ? 100 : 0)), got);
                }
                ByteBuffer z = ByteBuffer.allocate(65536);
                get(a.submit(Bio.discard(0, 65536)));
                get(a.submit(Bio.read(0, z)));
                assertEquals(ByteBuffer.allocate(65536), z);
                assertNotEquals(0, a.session().tsih());
            } finally {
                a.session().close();
            }
        }
    }

    static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i += 4) {
            b.putInt(seed * 0x9e3779b9 + i * 31 + (i >>> 12));
        }
        return b.flip();
    }
}
