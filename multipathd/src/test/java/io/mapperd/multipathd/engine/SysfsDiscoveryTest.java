package io.mapperd.multipathd.engine;

import io.mapperd.conf.ConfigLoader;
import io.mapperd.conf.MultipathConfig;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.engine.path.DiscoveredPath;
import io.mapperd.multipathd.engine.path.PathInfo;
import io.mapperd.multipathd.engine.path.SysfsPathSource;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local paths from sysfs trees laid out as real hosts lay them out. */
class SysfsDiscoveryTest {
    @TempDir
    Path dir;

    static Map<String, PathInfo> scan(Path root) {
        SysfsPathSource s = new SysfsPathSource(root);
        return s.scan(ConfigLoader.builtin()).stream().map(DiscoveredPath::info)
                .collect(Collectors.toMap(PathInfo::dev, i -> i));
    }

    @Test
    void scsiDisksOverIscsiSessionsHaveTheirWwidPortGroupAndTransportNames() throws Exception {
        Map<String, PathInfo> p = scan(SysfsTree.build("iscsi-host", dir));
        assertEquals(List.of("sda", "sdb", "sdc"), p.keySet().stream().sorted().toList());
        PathInfo b = p.get("sdb");
        assertEquals("36001405aabbccdd00112233445566778", b.wwid());
        assertEquals("36001405aabbccdd00112233445566778", p.get("sdc").wwid());
        assertEquals("8:16", b.devT().toString());
        assertEquals("3:0:0:0", b.hcil());
        assertEquals("LIO-ORG", b.vendor());
        assertEquals("disk0", b.product());
        assertEquals("4.0", b.revision());
        assertEquals("0011223344556677", b.serial());
        assertEquals("scsi:iscsi", b.protocol());
        assertEquals("iqn.2003-01.org.linux-iscsi.array1:tgt0", b.targetWwnn());
        assertEquals("iqn.2004-10.com.example:host1", b.hostWwnn());
        assertEquals("192.0.2.10:3260", b.targetWwpn());
        assertEquals("192.0.2.1", b.hostAdapter(), "iSCSI: the iscsi_host's address, as multipath-tools' %a");
        assertEquals(1, b.tpg());
        assertEquals(2, p.get("sdc").tpg());
        assertEquals(2097152, b.sizeSectors());
        PathInfo a = p.get("sda");
        assertEquals("scsi:ata", a.protocol(), "libata, as multipath-tools 0.9.4 names it");
        assertEquals("1ATA_QEMU_HARDDISK_QM00001", a.wwid(), "a T10 vendor id designator, blanks as underscores");
    }

    @Test
    void nvmeWithoutNativeMultipathGivesOnePathPerControllerWithTheNamespaceWwid() throws Exception {
        Map<String, PathInfo> p = scan(SysfsTree.build("nvme-nonmultipath", dir));
        assertEquals(List.of("nvme0n1", "nvme1n1"), p.keySet().stream().sorted().toList());
        PathInfo a = p.get("nvme0n1");
        assertEquals("eui.6d617070657264000000000000000001", a.wwid());
        assertEquals(a.wwid(), p.get("nvme1n1").wwid());
        assertEquals("nvme:tcp", a.protocol());
        assertEquals("NVME", a.vendor());
        assertEquals("Linux" + " ".repeat(35), a.product(), "the kernel's 40 characters, padding kept as multipath-tools keeps it");
        assertEquals("0:1:1:1", a.hcil(), "nvme0n1 on controller id 1, nsid 1 (multipath-tools: X:cntlid:Y:nsid)");
        assertEquals("1:2:1:1", p.get("nvme1n1").hcil());
        assertEquals("192.0.2.20:4420", a.targetWwpn());
        assertEquals("nqn.2014-08.org.example:subsys1", a.targetWwnn());
        assertEquals(1, a.tpg());
        assertEquals("259:0", a.devT().toString());
    }

    @Test
    void nvmeWithNativeMultipathShowsTheHeadOnlyAndLeavesItToTheKernel() throws Exception {
        Path root = SysfsTree.build("nvme-multipath", dir);
        SysfsPathSource s = new SysfsPathSource(root);
        List<DiscoveredPath> found = s.scan(ConfigLoader.builtin());
        assertEquals(1, found.size());
        DiscoveredPath head = found.getFirst();
        assertEquals("nvme0n1", head.info().dev());
        assertEquals("1", head.info().properties().get("NVME_NATIVE_MULTIPATH"));
        assertTrue(head.io().device().isEmpty(), "never opened for a map");
    }

    @Test
    void theEngineListsSysfsPathsWithPrioritiesFromAccessStateAndBlacklistReasons() throws Exception {
        Path root = SysfsTree.build("iscsi-host", dir);
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, "defaults {\n\tpolling_interval 1\n\tfind_multipaths no\n\tbindings_file " + dir.resolve("b")
                + "\n\twwids_file " + dir.resolve("w") + "\n}\ndevices {\n\tdevice {\n\t\tvendor LIO-ORG\n\t\tproduct .*\n"
                + "\t\tprio sysfs\n\t\tpath_checker none\n\t}\n}\n");
        try (DeviceMapper dm = new DeviceMapper();
             Engine e = Engine.start(dm, new EngineOptions(conf, null, Optional.of(root), Duration.ofSeconds(30),
                     Duration.ofMillis(200)))) {
            SanFixture.await("three checked paths", Duration.ofSeconds(10), () -> e.paths().size() == 3
                    && e.paths().stream().filter(p -> p.dev().startsWith("sd") && !p.dev().equals("sda"))
                    .allMatch(p -> p.priority() >= 0));
            Map<String, PathView> v = e.paths().stream().collect(Collectors.toMap(PathView::dev, x -> x));
            assertEquals(50, v.get("sdb").priority(), "active/optimized");
            assertEquals(10, v.get("sdc").priority(), "active/non-optimized");
            assertEquals("[orphan]", v.get("sdb").map(), "no device node in a test tree: nothing to map");
            assertEquals("failed", v.get("sda").initState(), "blacklisted: no ID_WWN or SCSI_IDENT_ property");
            assertFalse(e.maps().iterator().hasNext());
        }
    }

    @Test
    void sasPathsAreNamedByTheirSasAddressBehindTheHbasPciBridge() throws Exception {
        Map<String, PathInfo> p = scan(SysfsTree.build("sas-host", dir));
        assertEquals(List.of("sda", "sdb"), p.keySet().stream().sorted().toList());
        PathInfo a = p.get("sda");
        assertEquals("scsi:sas", a.protocol());
        assertEquals("35000c500a1b2c3d4", a.wwid(), "NAA 5 of the logical unit, not the ports' SAS addresses");
        assertEquals(a.wwid(), p.get("sdb").wwid());
        assertEquals("0x5000c500a1b2c3d5", a.targetWwnn(), "tgt_node_name: the device's sas_address");
        assertEquals("0x5000c500a1b2c3d6", p.get("sdb").targetWwnn());
        assertEquals("0000:00:1c.0", a.hostAdapter());
        assertEquals("[undef]", a.hostWwnn());
        assertEquals("SEAGATE", a.vendor());
    }

    // ---- Fibre Channel ----

    static final String FC_WWID = "36005076801808123e800000000000012";

    @Test
    void fibreChannelPathsCarryTheHbaAndRemotePortNamesAsMultipathToolsReadsThem() throws Exception {
        Map<String, PathInfo> p = scan(SysfsTree.build("fc-host", dir));
        assertEquals(List.of("sdb", "sdc", "sdd", "sde"), p.keySet().stream().sorted().toList());
        PathInfo b = p.get("sdb");
        assertEquals("scsi:fcp", b.protocol());
        assertEquals("1:0:0:1", b.hcil());
        assertEquals(FC_WWID, b.wwid());
        assertEquals("IBM", b.vendor());
        assertEquals("2145", b.product());
        assertEquals("0x20000024ff7ef4d2", b.hostWwnn(), "fc_host/host1/node_name");
        assertEquals("0x21000024ff7ef4d2", b.hostWwpn(), "fc_host/host1/port_name");
        assertEquals("0x500507680100a001", b.targetWwnn(), "tgt_node_name: fc_remote_ports/rport-1:0-0/node_name");
        assertEquals("0x500507680110a001", b.targetWwpn(), "fc_remote_ports/rport-1:0-0/port_name");
        assertEquals("0000:00:02.0", b.hostAdapter(), "the PCIe root port above the HBA (driver pcieport)");
        assertEquals(0, b.tpg());
        PathInfo e = p.get("sde");
        assertEquals("2:0:1:1", e.hcil());
        assertEquals("0x500507680100b002", e.targetWwnn());
        assertEquals("0x500507680120b002", e.targetWwpn());
        assertEquals("0x21000024ff7ef4d3", e.hostWwpn());
        assertEquals("0000:00:03.0", e.hostAdapter());
        assertEquals(1, e.tpg());
    }

    static final String FC_CONF = "defaults {\n\tfind_multipaths off\n\tpolling_interval 1\n}\n"
            + "overrides {\n\tpath_grouping_policy group_by_node_name\n\tprio const\n"
            + "\tpath_checker none\n}\n";

    @Test
    void fibreChannelPathsAreGroupedByTheArrayNodeTheyReach() throws Exception {
        Path root = SysfsTree.build("fc-host", dir);
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, FC_CONF);
        DryRun.Result r = DryRun.run(new EngineOptions(conf, null, Optional.of(root), Duration.ofMinutes(1),
                Duration.ofMillis(50)).withStateDir(dir), null, Duration.ofSeconds(30));
        assertEquals("""
                : 36005076801808123e800000000000012 undef IBM,2145
                size=2.0G features='1 queue_if_no_path' hwhandler='1 alua' wp=undef
                |-+- policy='service-time 0' prio=1 status=undef
                | |- 1:0:0:1 sdb 8:16 undef ready running
                | `- 2:0:0:1 sdd 8:48 undef ready running
                `-+- policy='service-time 0' prio=1 status=undef
                  |- 1:0:1:1 sdc 8:32 undef ready running
                  `- 2:0:1:1 sde 8:64 undef ready running
                """, io.mapperd.multipathd.MultipathOneShot.print(r, 2),
                "one group per node name: 0x500507680100a001 (sdb, sdd) and 0x500507680100b002 (sdc, sde)");
    }

    @Test
    void showPathsFormatPrintsTheFibreChannelNames() throws Exception {
        Path root = SysfsTree.build("fc-host", dir);
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, FC_CONF);
        io.mapperd.multipathd.control.ControlAddress a = new io.mapperd.multipathd.control.ControlAddress(
                "@/mapperd/test/" + java.util.UUID.randomUUID());
        io.mapperd.multipathd.DaemonOptions o = new io.mapperd.multipathd.DaemonOptions(Optional.of(conf), List.of(a),
                Optional.of(root), java.util.OptionalInt.empty());
        try (io.mapperd.multipathd.Daemon d = new io.mapperd.multipathd.Daemon(o).start()) {
            String out = "";
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end && out.split("\n").length < 5) {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                io.mapperd.multipathd.MultipathdClient.run(new String[] {"show", "paths", "format", "%d %N %n %R %r %a %P"},
                        java.io.InputStream.nullInputStream(), new java.io.PrintStream(b, true), System.err,
                        Map.of("MAPPERD_SOCKET", a.spec()));
                out = b.toString();
                Thread.sleep(100);
            }
            assertEquals("""
                    dev host WWNN          target WWNN        host WWPN          target WWPN        host adapter protocol
                    sdb 0x20000024ff7ef4d2 0x500507680100a001 0x21000024ff7ef4d2 0x500507680110a001 0000:00:02.0 scsi:fcp
                    sdc 0x20000024ff7ef4d2 0x500507680100b002 0x21000024ff7ef4d2 0x500507680110b002 0000:00:02.0 scsi:fcp
                    sdd 0x20000024ff7ef4d3 0x500507680100a001 0x21000024ff7ef4d3 0x500507680120a001 0000:00:03.0 scsi:fcp
                    sde 0x20000024ff7ef4d3 0x500507680100b002 0x21000024ff7ef4d3 0x500507680120b002 0000:00:03.0 scsi:fcp
                    """, out);
        }
    }

    @Test
    void aBlockedRemotePortHoldsItsPathPendingAndOneThatIsGoneFailsIt() throws Exception {
        Path root = SysfsTree.build("fc-host", dir);
        Path portState = root.resolve("class/fc_remote_ports/rport-1:0-0/port_state");
        Files.writeString(portState, "Blocked\n");
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, FC_CONF);
        try (DeviceMapper dm = new DeviceMapper();
             Engine e = Engine.start(dm, new EngineOptions(conf, null, Optional.of(root), Duration.ofSeconds(30),
                     Duration.ofMillis(100)).withStateDir(dir))) {
            SanFixture.await("sdb pending, the others ready", Duration.ofSeconds(10), () -> states(e).equals(
                    Map.of("sdb", "i/o pending", "sdc", "ready", "sdd", "ready", "sde", "ready")));
            Files.writeString(portState, "Not Present\n");
            SanFixture.await("sdb faulty once its rport is gone", Duration.ofSeconds(10),
                    () -> "faulty".equals(states(e).get("sdb")));
            Files.writeString(portState, "Online\n");
            SanFixture.await("sdb ready once its rport is back online", Duration.ofSeconds(10),
                    () -> "ready".equals(states(e).get("sdb")));
            Path sdevState = root.resolve("devices/pci0000:00/0000:00:03.0/0000:04:00.0/host2/rport-2:0-1/target2:0:1/2:0:1:1/state");
            Files.writeString(sdevState, "transport-offline\n");
            SanFixture.await("sde faulty: its device went transport-offline (fast_io_fail_tmo ran out)",
                    Duration.ofSeconds(10), () -> "faulty".equals(states(e).get("sde")));
        }
    }

    private static Map<String, String> states(Engine e) {
        return e.paths().stream().collect(Collectors.toMap(PathView::dev, PathView::checkerState));
    }
}
