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
        assertEquals("host3", b.hostAdapter());
        assertEquals(1, b.tpg());
        assertEquals(2, p.get("sdc").tpg());
        assertEquals(2097152, b.sizeSectors());
        PathInfo a = p.get("sda");
        assertEquals("scsi:unspec", a.protocol());
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
        assertEquals("Linux", a.product());
        assertEquals("0:1:1:1", a.hcil(), "nvmeXnY: X, then cntlid, Y, nsid, as multipath-tools");
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
}
