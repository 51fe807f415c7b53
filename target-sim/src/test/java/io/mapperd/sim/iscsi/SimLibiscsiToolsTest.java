package io.mapperd.sim.iscsi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libiscsi's command-line tools (a C initiator we did not write) against target-sim. */
class SimLibiscsiToolsTest {
    @TempDir
    static Path dir;
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
    void iscsiLsListsTheTargetAndItsLun() throws Exception {
        String tool = SimFixture.require("iscsi-ls");
        SimFixture.Run r = SimFixture.run(30, tool, "-s", "iscsi://" + sim.portals().get(0).address());
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("Target:" + SimFixture.IQN), r.out());
        assertTrue(r.out().contains(sim.portals().get(1).address()), r.out());
        assertTrue(r.out().contains("Lun:1") && r.out().contains("Type:DIRECT_ACCESS"), r.out());
    }

    @Test
    void iscsiInqPrintsStandardInquiryAndDeviceIdentification() throws Exception {
        String tool = SimFixture.require("iscsi-inq");
        SimFixture.Run std = SimFixture.run(30, tool, SimFixture.url(sim, 0));
        assertEquals(0, std.rc(), std.out());
        assertTrue(std.out().contains("Vendor:MAPPERD"), std.out());
        assertTrue(std.out().contains("Product:target-sim"), std.out());
        assertTrue(std.out().contains("TPGS:3") || std.out().contains("tpgs:3") || std.out().toLowerCase().contains("tpgs"), std.out());
        SimFixture.Run vpd = SimFixture.run(30, tool, "-e", "1", "-c", "131", SimFixture.url(sim, 1));
        assertEquals(0, vpd.rc(), vpd.out());
        String o = vpd.out().toLowerCase();
        assertTrue(o.contains("naa"), vpd.out());
        assertTrue(o.contains("relative"), vpd.out());
        assertTrue(o.contains("port group") || o.contains("target_port_group") || o.contains("tpg"), vpd.out());
        SimFixture.Run serial = SimFixture.run(30, tool, "-e", "1", "-c", "128", SimFixture.url(sim, 0));
        assertTrue(serial.out().contains("SIM0001"), serial.out());
    }

    @Test
    void iscsiReadcapacity16SeesTheSize() throws Exception {
        String tool = SimFixture.require("iscsi-readcapacity16");
        SimFixture.Run r = SimFixture.run(30, tool, SimFixture.url(sim, 0));
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("LOGICAL BLOCK LENGTH IN BYTES:512"), r.out());
        assertTrue(r.out().contains("RETURNED LOGICAL BLOCK ADDRESS:131071"), r.out());
        assertTrue(r.out().contains("LBPME:1"), r.out());
        assertTrue(r.out().contains("Total size:67108864"), r.out());
    }
}
