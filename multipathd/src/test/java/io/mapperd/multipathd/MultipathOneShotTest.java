package io.mapperd.multipathd;

import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mapperd multipath [-d]}, multipath(8)'s one-shot run, against what Debian's multipath-tools
 * 0.9.4 printed in the reference VM for the same LUN (reference/multipath-dry-run, see its README):
 * over a sysfs tree copied from the guest (same device names: byte for byte), and over the guest's
 * own LIO target reached by our iSCSI initiator (our disk names and SCSI host numbers).
 */
class MultipathOneShotTest {
    static final String WWID = "360014055f0e7ab100004000800000000";
    static final String REFVM_IQN = "iqn.2024-01.io.refvm:tgt1";

    @TempDir
    Path dir;

    record Run(String out, String err, int rc) {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = MultipathOneShot.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }

    static String reference(String name) throws IOException {
        try (InputStream in = MultipathOneShotTest.class.getResourceAsStream("/reference/multipath-dry-run/" + name)) {
            if (in == null) {
                throw new IOException("no resource reference/multipath-dry-run/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The guest's configuration, with the bindings file in the test's directory. */
    Path conf(String defaults, String rest) throws IOException {
        Path c = dir.resolve("multipath.conf");
        Files.writeString(c, "defaults {\n" + defaults + "\tbindings_file " + dir.resolve("bindings") + "\n\twwids_file "
                + dir.resolve("wwids") + "\n}\n" + rest);
        return c;
    }

    // ---- over the guest's sysfs ----

    /** A sysfs tree has no device node to send TEST UNIT READY to: the paths are checked with "none" (up). */
    static final String NO_NODE_CHECKER = "overrides {\n\tpath_checker none\n}\n";

    @Test
    void dryRunOverTheGuestsSysfsPrintsWhatMultipathPrintedThereByteForByte() throws Exception {
        Path root = io.mapperd.multipathd.engine.SysfsTree.build("refvm-guest", dir);
        Path c = conf("\tuser_friendly_names yes\n\tfind_multipaths off\n", NO_NODE_CHECKER);
        Run v2 = run(Map.of(), "-d", "-v2", "-c", c.toString(), "--sysfs-root", root.toString());
        assertEquals(reference("v2.out"), v2.out());
        assertEquals(0, v2.rc());
        Run v3 = run(Map.of(), "-d", "-v3", "-c", c.toString(), "--sysfs-root", root.toString());
        assertEquals(reference("v3.out"), v3.out(), "paths list in sysfs order, then the map");
        assertEquals(reference("v2.out"), run(Map.of(), "-d", "-c", c.toString(), "--sysfs-root", root.toString()).out(),
                "-v2 is the default");
        assertEquals("mpatha\n", run(Map.of(), "-d", "-v1", "-c", c.toString(), "--sysfs-root", root.toString()).out());
        assertEquals("", run(Map.of(), "-d", "-v0", "-c", c.toString(), "--sysfs-root", root.toString()).out());
        assertFalse(Files.exists(dir.resolve("bindings")), "a dry run writes no bindings file");
        assertFalse(Files.exists(dir.resolve("wwids")), "nor the wwids file");
    }

    @Test
    void aWwidOrDeviceArgumentLimitsTheRunToItsMapAndOverridesFindMultipaths() throws Exception {
        Path root = io.mapperd.multipathd.engine.SysfsTree.build("refvm-guest", dir);
        Path c = conf("\tuser_friendly_names yes\n\tfind_multipaths off\n", NO_NODE_CHECKER);
        String r = root.toString();
        assertEquals(reference("wwid.out"), run(Map.of(), "-d", "-v2", "-c", c.toString(), "--sysfs-root", r, WWID).out());
        assertEquals(reference("dev.out"), run(Map.of(), "-d", "-v2", "-c", c.toString(), "--sysfs-root", r, "/dev/sda").out());
        assertEquals(reference("dev.out"), run(Map.of(), "-d", "-v2", "-c", c.toString(), "--sysfs-root", r, "8:16").out());
        assertEquals("", run(Map.of(), "-d", "-v2", "-c", c.toString(), "--sysfs-root", r, "sdz").out(),
                "a device that is not there: no map");
        Path strict = conf("\tfind_multipaths strict\n", NO_NODE_CHECKER);
        assertEquals(reference("strict.out"), run(Map.of(), "-d", "-v2", "-c", strict.toString(), "--sysfs-root", r).out(),
                "find_multipaths strict with no wwids file: nothing to create");
        assertEquals("", reference("strict.out"));
        Run scoped = run(Map.of(), "-d", "-v2", "-c", strict.toString(), "--sysfs-root", r, WWID);
        assertTrue(scoped.out().startsWith(": " + WWID + " undef LIO-ORG,FILEIO\n"), scoped.out());
    }

    @Test
    void badArgumentsAreNamed() {
        Run r = run(Map.of(), "-d", "-v", "x");
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("multipath: -v wants a verbosity level 0..4, not x"), r.err());
        r = run(Map.of(), "-d", "--sysfs-root", dir.resolve("none").toString());
        assertTrue(r.err().contains("--sysfs-root " + dir.resolve("none") + ": not a directory"), r.err());
        r = run(Map.of(), "-d", "-c", dir.resolve("missing.conf").toString());
        assertEquals("multipath: " + dir.resolve("missing.conf") + ": no such configuration file\n", r.err());
        r = run(Map.of(), "-d", "-q");
        assertTrue(r.err().startsWith("multipath: unknown option -q"), r.err());
        assertEquals(0, run(Map.of(), "--help").rc());
    }

    // ---- over the guest's LIO target, through our iSCSI initiator ----

    @Test
    void dryRunOverTheReferenceVmsLioPrintsWhatTheGuestsMultipathPrinted() throws Exception {
        requireRefVmLio();
        StringBuilder portals = new StringBuilder("mapperd_transports {\n");
        for (int port : new int[] {13260, 13261}) {
            portals.append("\tiscsi_portal {\n\t\tportal 127.0.0.1:").append(port).append("\n\t\ttarget ").append(REFVM_IQN)
                    .append("\n\t\tinitiator_name iqn.2026-11.io.mapperd:oneshot-test\n\t\tdiscovery no\n\t}\n");
        }
        portals.append("}\n");
        Path c = conf("\tuser_friendly_names yes\n\tfind_multipaths off\n", portals.toString());
        Run r = run(Map.of(), "-d", "-v2", "-c", c.toString());
        // Our initiator numbers its SCSI hosts from 0 in portal order (3260 first); the guest's
        // open-iscsi had hosts 7 (portal 3260, sda) and 6 (portal 3261, sdb). Disk names and numbers agree.
        String expected = reference("v2.out").replace("7:0:0:0 sda", "0:0:0:0 sda").replace("6:0:0:0 sdb", "1:0:0:0 sdb");
        assertEquals(expected, r.out(), "stderr: " + r.err());
        assertEquals(0, r.rc());
        assertFalse(Files.exists(dir.resolve("bindings")));
    }

    /** Skips (fails under CI=true) unless the reference VM's LIO answers SendTargets on 127.0.0.1:13260. */
    static void requireRefVmLio() {
        boolean up;
        try {
            up = IscsiSession.discover("127.0.0.1", 13260, SessionConfig.defaults()).get(20, TimeUnit.SECONDS).stream()
                    .anyMatch(t -> t.name().equals(REFVM_IQN));
        } catch (Exception e) {
            up = false;
        }
        String why = "the reference VM's LIO does not answer on 127.0.0.1:13260 (tools/refvm/build-refvm.sh up; "
                + "see tools/refvm/README.md; run with mvn -o -pl multipathd -am test -Dtest=MultipathOneShotTest)";
        Peers.need(up, why);
    }

    // ---- without -d: the daemon makes the maps ----

    @Test
    void withoutDryRunAndNoDaemonItSaysItNeedsTheDaemon() {
        String socket = "@/mapperd/test/none-" + UUID.randomUUID();
        Run r = run(Map.of("MAPPERD_SOCKET", socket), "-v2");
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("multipath: maps live in the mapperd daemon, and none answers at " + socket), r.err());
        assertTrue(r.err().contains("use -d for a dry run"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void withoutDryRunTheRunningDaemonRescansAndItsMapsArePrinted() throws Exception {
        String iqn = "iqn.2026-11.io.mapperd:sim:oneshot";
        String naa = "6001405d3a00000000000000000000aa";
        SimConfig sc = new SimConfig(
                List.of(new SimConfig.TargetSpec(iqn, List.of(new SimConfig.LunSpec(0, dir.resolve("lun0.img").toString(),
                        8L << 20, 512, "ONESHOT0", "0x" + naa)), null, null, null, null)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", 0, 1), new SimConfig.PortalSpec("127.0.0.1", 0, 2)),
                List.of(new SimConfig.GroupSpec(1, AluaState.ACTIVE_OPTIMIZED, true),
                        new SimConfig.GroupSpec(2, AluaState.ACTIVE_NON_OPTIMIZED, false)),
                SimConfig.AluaMode.IMPLICIT, null);
        try (IscsiTargetSim sim = IscsiTargetSim.start(sc)) {
            StringBuilder t = new StringBuilder("mapperd_transports {\n");
            sim.portals().forEach(p -> t.append("\tiscsi_portal {\n\t\tportal ").append(p.address()).append("\n\t\ttarget ")
                    .append(iqn).append("\n\t}\n"));
            t.append("}\n");
            Path c = conf("\tuser_friendly_names yes\n\tfind_multipaths no\n\tpolling_interval 1\n", t.toString());
            ControlAddress a = new ControlAddress("@/mapperd/test/" + UUID.randomUUID());
            DaemonOptions o = new DaemonOptions(Optional.of(c), List.of(a), Optional.empty(), OptionalInt.empty());
            try (Daemon d = new Daemon(o).start()) {
                Map<String, String> env = Map.of("MAPPERD_SOCKET", a.spec());
                List<String> seen = new ArrayList<>();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Run r;
                do {
                    r = run(env, "-v2");
                    seen.add(r.out());
                    if (r.out().split("policy=", -1).length == 3) {
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                } while (System.nanoTime() < end);
                assertEquals(0, r.rc(), r.err());
                assertTrue(r.out().startsWith("mpatha (3" + naa + ") dm-"), String.join("\n--\n", seen));
                assertTrue(r.out().contains("wp=rw\n") && r.out().contains("prio=50 status="), r.out());
                ByteArrayOutputStream ll = new ByteArrayOutputStream();
                MultipathLl.run(new String[] {"-ll"}, new PrintStream(ll, true, StandardCharsets.UTF_8), System.err, env);
                assertEquals(ll.toString(StandardCharsets.UTF_8), r.out(), "the daemon's maps, as multipath -ll prints them");
                Run refused = run(env, "-c", c.toString());
                assertEquals(1, refused.rc());
                assertTrue(refused.err().contains("shape a dry run (-d) only"), refused.err());
            }
        }
    }
}
