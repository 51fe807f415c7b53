package io.mapperd.prioritizers;

import io.mapperd.checkers.CheckedPath;
import io.mapperd.checkers.SimSan;
import io.mapperd.checkers.TestPath;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;
import io.mapperd.transport.iscsi.IscsiLun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** const, random, weightedpath, sysfs and path_latency, with multipath-tools' values. */
class PrioritizersTest {
    @TempDir
    Path dir;
    final PrioritizerRegistry reg = PrioritizerRegistry.builtin();

    FileBlockDevice file(String name) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(1 << 20);
        }
        return FileBlockDevice.open(f, false, new DevT(7, 10), 512);
    }

    @Test
    void constIsOneAndRandomStaysWithinOneToTen() throws Exception {
        try (FileBlockDevice d = file("c.img")) {
            assertEquals(1, reg.get("const").getprio(CheckedPath.of(d), null));
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                int p = reg.get("random").getprio(CheckedPath.of(d), "");
                assertTrue(p >= 1 && p <= 10, "random gave " + p);
                seen.add(p);
            }
            assertEquals(10, seen.size(), "every value 1..10 shows up in 500 draws");
        }
    }

    @Test
    void weightedpathMatchesTheFirstRegexAgainstTheChosenIdentity() throws Exception {
        try (FileBlockDevice d = file("w.img")) {
            TestPath p = new TestPath(d, "sdc", "4:0:1:7", "SER123", "36001405abc", "iqn.2026-01.io.mapperd:t1", Optional.empty());
            Prioritizer w = reg.get("weightedpath");
            assertEquals(2, w.getprio(p, "hbtl 4:.:.:. 2 4:.:1:. 4"), "the first match wins");
            assertEquals(4, w.getprio(p, "hbtl 1:.:.:. 2 4:.:.:. 4"));
            assertEquals(20, w.getprio(p, "devname sda 10 sd[c-e] 20"));
            assertEquals(0, w.getprio(p, "devname sda 10 sdb 20"), "no match: default 0");
            assertEquals(7, w.getprio(p, "serial ^SER1 7"));
            assertEquals(3, w.getprio(p, "wwn :iqn\\.2026-01\\.io\\.mapperd:t1: 3"));
            assertEquals(5, w.getprio(p, "devname [ 9 sdc 5"), "a regex that does not compile is skipped");
            assertEquals(0, w.getprio(p, "bogus sdc 5"), "an unknown identity gives the default");
            assertEquals(0, w.getprio(p, null));
            assertEquals(12, w.getprio(p, "devname\tsdc\t12abc"), "atoi of the weight");
        }
    }

    @Test
    void sysfsReadsAccessStateAndPreferredPath() throws Exception {
        Path dev = Files.createDirectories(dir.resolve("sys/devices/platform/host3/session1/target3:0:0/3:0:0:1"));
        try (FileBlockDevice d = file("s.img")) {
            TestPath p = new TestPath(d, "sdd", "3:0:0:1", "", "", "[undef]", Optional.of(dev));
            Prioritizer s = reg.get("sysfs");
            assertEquals(Prioritizer.PRIO_UNDEF, s.getprio(p, ""), "no access_state");
            Files.writeString(dev.resolve("access_state"), "active/optimized\n");
            assertEquals(50, s.getprio(p, ""));
            Files.writeString(dev.resolve("preferred_path"), "1\n");
            assertEquals(50, s.getprio(p, ""));
            assertEquals(130, s.getprio(p, "exclusive_pref_bit"));
            Files.writeString(dev.resolve("access_state"), "active/non-optimized\n");
            assertEquals(90, s.getprio(p, ""));
            Files.writeString(dev.resolve("preferred_path"), "0\n");
            assertEquals(10, s.getprio(p, ""));
            Files.writeString(dev.resolve("access_state"), "lba-dependent\n");
            assertEquals(5, s.getprio(p, ""));
            Files.writeString(dev.resolve("access_state"), "standby\n");
            assertEquals(1, s.getprio(p, ""));
            Files.writeString(dev.resolve("access_state"), "unavailable\n");
            assertEquals(0, s.getprio(p, ""));
            Files.writeString(dev.resolve("preferred_path"), "garbage\n");
            assertEquals(0, s.getprio(p, ""), "an unparsable preferred_path is ignored");
            assertEquals(Prioritizer.PRIO_UNDEF, s.getprio(TestPath.of(d), ""), "no sysfs directory");
        }
    }

    @Test
    void pathLatencyScoresAsCalcPrioAndParsesItsArguments() {
        // base 10: max log 8, min log 0; 100 us -> 8 - 2 = 6; 1 ms -> 5; <= 1 us -> 8; > 100 s -> 0
        assertEquals(6, PathLatencyPrioritizer.priority(2.0, 10));
        assertEquals(5, PathLatencyPrioritizer.priority(3.0, 10));
        assertEquals(8, PathLatencyPrioritizer.priority(0.0, 10));
        assertEquals(0, PathLatencyPrioritizer.priority(8.5, 10));
        assertEquals(new PathLatencyPrioritizer.Args(20, 10.0), PathLatencyPrioritizer.Args.parse("io_num=20 base_num=10", "x"));
        assertEquals(new PathLatencyPrioritizer.Args(20, 2.0), PathLatencyPrioritizer.Args.parse("base_num=2 io_num=20", "x"));
        PathLatencyPrioritizer.Args def = new PathLatencyPrioritizer.Args(100, PathLatencyPrioritizer.DEF_BASE_NUM);
        assertEquals(def, PathLatencyPrioritizer.Args.parse("io_num=10 base_num=10", "x"), "io_num below 20");
        assertEquals(def, PathLatencyPrioritizer.Args.parse("io_num=20 base_num=11", "x"), "base_num above 10");
        assertEquals(def, PathLatencyPrioritizer.Args.parse("io_num=20", "x"), "base_num missing");
        assertEquals(def, PathLatencyPrioritizer.Args.parse(null, "x"));
    }

    @Test
    void pathLatencyRanksASlowPathBelowAPromptOne() throws Exception {
        try (SimSan san = SimSan.start(dir)) {
            IscsiLun fast = san.open(0);
            IscsiLun slow = san.open(1);
            san.portal(1).delay(40);
            Prioritizer pl = reg.get("path_latency");
            int pf = pl.getprio(TestPath.of(fast), "io_num=20 base_num=2", Duration.ofSeconds(5));
            int ps = pl.getprio(TestPath.of(slow), "io_num=20 base_num=2", Duration.ofSeconds(5));
            // 40 ms is more than 2^2 times a loopback read's latency even on a busy machine
            assertTrue(pf >= ps + 2, "prompt path " + pf + ", path delayed by 40 ms " + ps);
            assertTrue(ps > 0 && pf <= 26, "base 2 spans 0..26: " + pf + " " + ps);
            san.portal(1).down();
            assertEquals(-1, pl.getprio(TestPath.of(slow), "io_num=20 base_num=2", Duration.ofSeconds(5)), "a failed read: path down");
        }
    }

    @Test
    void anUnknownPrioritizerIsAnErrorNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.get("hds2"));
        assertEquals("unknown prioritizer 'hds2' (known: [alua, const, path_latency, random, sysfs, weightedpath])", e.getMessage());
    }
}
