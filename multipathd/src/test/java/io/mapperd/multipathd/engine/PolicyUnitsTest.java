package io.mapperd.multipathd.engine;

import io.mapperd.dm.io.DevT;
import io.mapperd.multipathd.engine.group.GroupMember;
import io.mapperd.multipathd.engine.group.Grouping;
import io.mapperd.multipathd.engine.group.PathGroup;
import io.mapperd.multipathd.engine.path.DiskNames;
import io.mapperd.multipathd.engine.table.MapTable;
import io.mapperd.multipathd.engine.table.MultipathStatus;
import io.mapperd.multipathd.engine.wwid.NvmeWwid;
import io.mapperd.multipathd.engine.wwid.ScsiWwid;
import io.mapperd.transport.iscsi.scsi.Designator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the policy: WWIDs, grouping, table text, status parsing, names. */
class PolicyUnitsTest {
    static Designator naa(String hex) {
        return new Designator(0, 1, false, 0, Designator.TYPE_NAA, HexFormat.of().parseHex(hex));
    }

    static Designator t10(String s) {
        return new Designator(0, 2, false, 0, Designator.TYPE_T10, s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void scsiWwidPrefersNaaRegisteredExtendedOverEuiAndT10AndLocalNaaLast() {
        Designator local = naa("3000000000000001");
        Designator regext = naa("6001405aabbccdd00112233445566778");
        Designator eui = new Designator(0, 1, false, 0, Designator.TYPE_EUI64, HexFormat.of().parseHex("0011223344556677"));
        Designator portNaa = new Designator(0, 1, false, 1, Designator.TYPE_NAA, HexFormat.of().parseHex("6aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assertEquals("36001405aabbccdd00112233445566778",
                ScsiWwid.derive(List.of(t10("LIO-ORG disk0"), local, portNaa, regext, eui)).orElseThrow());
        assertEquals("20011223344556677", ScsiWwid.derive(List.of(local, t10("X Y"), eui)).orElseThrow());
        assertEquals("1LIO-ORG_disk0_abc", ScsiWwid.derive(List.of(local, t10("LIO-ORG  disk0   abc  "))).orElseThrow());
        assertEquals("33000000000000001", ScsiWwid.derive(List.of(local)).orElseThrow());
        assertTrue(ScsiWwid.derive(List.of(portNaa)).isEmpty(), "a target port's NAA is not the LU's WWID");
    }

    @Test
    void nvmeWwidAsTheKernelsWwidAttribute() {
        byte[] zero = new byte[16];
        byte[] nguid = HexFormat.of().parseHex("6d617070657264000000000000000001");
        byte[] uuid = HexFormat.of().parseHex("5e1b3c7a0f524a4b9c532a6f1d0e9b11");
        assertEquals("uuid.5e1b3c7a-0f52-4a4b-9c53-2a6f1d0e9b11", NvmeWwid.derive(uuid, nguid, null, 0, "s", "m", 1));
        assertEquals("eui.6d617070657264000000000000000001", NvmeWwid.derive(zero, nguid, null, 0, "s", "m", 1));
        assertEquals("eui.0011223344556677", NvmeWwid.derive(zero, zero, HexFormat.of().parseHex("0011223344556677"), 0, "s", "m", 1));
        assertEquals("nvme.1b36-4142-4d-00000002", NvmeWwid.derive(null, null, null, 0x1b36, "AB", "M", 2));
    }

    static GroupMember m(int minor, int prio, String serial, String node, int tpg) {
        return new GroupMember(new DevT(8, minor), prio, true, serial, node, tpg, false);
    }

    @Test
    void groupingPoliciesSplitAndOrderByPriority() {
        List<GroupMember> paths = List.of(m(48, 10, "B", "n2", 2), m(0, 50, "A", "n1", 1), m(16, 50, "A", "n1", 1),
                m(32, 10, "B", "n2", 2));
        assertEquals(4, Grouping.group("failover", paths, false).size());
        assertEquals(50, Grouping.group("failover", paths, false).getFirst().priority());
        assertEquals(1, Grouping.group("multibus", paths, false).size());
        assertEquals(30, Grouping.group("multibus", paths, false).getFirst().priority());
        for (String p : List.of("group_by_prio", "group_by_serial", "group_by_node_name", "group_by_tpg")) {
            List<PathGroup> g = Grouping.group(p, paths, false);
            assertEquals(2, g.size(), p);
            assertEquals(List.of(new DevT(8, 0), new DevT(8, 16)), g.getFirst().members().stream().map(GroupMember::devT).toList(), p);
            assertEquals(50, g.get(0).priority(), p);
            assertEquals(10, g.get(1).priority(), p);
        }
        assertThrows(IllegalArgumentException.class, () -> Grouping.group("group_by_moon", paths, false));
        List<GroupMember> withMarginal = List.of(m(0, 50, "A", "n", 1),
                new GroupMember(new DevT(8, 16), 50, true, "A", "n", 1, true));
        List<PathGroup> mg = Grouping.group("multibus", withMarginal, true);
        assertEquals(2, mg.size());
        assertTrue(mg.get(1).marginal(), "marginal paths last, in their own group");
    }

    @Test
    void tableTextInTheKernelsSyntax() {
        List<PathGroup> g = Grouping.group("group_by_prio", List.of(m(0, 50, "", "", 1), m(16, 10, "", "", 2)), false);
        assertEquals("1 queue_if_no_path 1 alua 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:16 1",
                MapTable.params("1 queue_if_no_path", "1 alua", "service-time 0", g, 1, 1, false));
        assertEquals("0 0 2 1 round-robin 0 1 1 8:0 100 round-robin 0 1 1 8:16 20",
                MapTable.params("0", "0", "round-robin 0", g, 1, 2, true));
        assertEquals("3 queue_if_no_path pg_init_retries 50", MapTable.features("2 pg_init_retries 50", true));
        assertEquals("0", MapTable.features("1 queue_if_no_path", false));
        assertThrows(IllegalArgumentException.class, () -> MapTable.features("2 queue_if_no_path", true));
    }

    @Test
    void statusLineOfTheMultipathTarget() {
        MultipathStatus s = MultipathStatus.parse(
                "2 0 0 0 2 2 E 0 2 2 8:0 F 1 0 1 8:32 F 2 0 1 A 0 2 2 8:64 A 0 0 1 8:96 A 0 0 1");
        assertEquals(2, s.currentGroup());
        assertEquals(List.of('E', 'A'), s.groupStates());
        assertEquals(false, s.paths().get("8:0"));
        assertEquals(2, s.failCounts().get("8:32"));
        assertEquals(true, s.paths().get("8:96"));
        assertThrows(IllegalArgumentException.class, () -> MultipathStatus.parse("2 0 0 0 1 1 A"));
    }

    @Test
    void diskNamesAsTheSdDriverGivesThem() {
        assertEquals("sda", DiskNames.sdName(0));
        assertEquals("sdz", DiskNames.sdName(25));
        assertEquals("sdaa", DiskNames.sdName(26));
        assertEquals(new DevT(8, 240), DiskNames.sdDevT(15));
        assertEquals(new DevT(65, 0), DiskNames.sdDevT(16));
    }
}
