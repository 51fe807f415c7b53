package io.mapperd.multipathd.refvm;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.Peer;
import io.mapperd.multipathd.engine.Engine;
import io.mapperd.multipathd.engine.VerifiedWorkload;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our daemon against the real multipathd, both over the reference VM's real targets: the guest's
 * open-iscsi, nvme-cli and multipath-tools 0.9.4 (with the guest kernel's dm-multipath) on the guest
 * side of LIO (ALUA) and nvmet (ANA), our daemon on the host side of the same portals and ports,
 * both with the same multipath.conf. Compared: the paths (WWID, vendor/product, states, priority,
 * protocol), the maps (`multipath -ll` against `show topology`), the tables and the status lines,
 * with device numbers replaced by the port each path goes through. Then a port is taken away (LIO
 * TPG disabled; nvmet port unlinked from the subsystem) and given back while a verified workload
 * runs through our map and a reader through the guest's: both move I/O to the other group, and back
 * or not as failback says.
 * <p>
 * LIO's port groups are put to implicit-only ALUA for the run (restored after): with explicit ALUA
 * both initiators' pg_init would send SET TARGET PORT GROUPS on failover, make the non-optimized
 * group optimized too, and leave nothing for failback to decide.
 */
class RealMultipathdComparisonTest {
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000beef";

    @TempDir
    static Path dir;
    static int aluaType = -1;

    @BeforeAll
    static void guestInitiator() throws Exception {
        RefVmGuest.require();
        RefVmGuest.guestMultipath("down");
        aluaType = RefVmGuest.lioAluaAccessType();
        RefVmGuest.exec(RefVmGuest.lioAluaAccessTypeCommand(1) + "; " + RefVmGuest.lioAluaStatesCommand());
        guestUp("immediate");
    }

    @AfterAll
    static void restoreGuest() {
        if (aluaType < 0) {
            return;
        }
        RefVmGuest.restore("sh " + RefVmGuest.DIR + "/guest-multipath.sh down");
        RefVmGuest.restore(RefVmGuest.lioTpgEnableCommand(1) + "; " + RefVmGuest.lioTpgEnableCommand(2) + "; "
                + RefVmGuest.nvmetLinkCommand(1) + "; " + RefVmGuest.nvmetLinkCommand(2) + "; "
                + RefVmGuest.lioAluaAccessTypeCommand(aluaType) + "; " + RefVmGuest.lioAluaStatesCommand());
    }

    /** The configuration both daemons run with. */
    static String config(String failback) {
        return """
                defaults {
                	user_friendly_names no
                	find_multipaths off
                	polling_interval 2
                	max_polling_interval 4
                	fast_io_fail_tmo 5
                }
                devices {
                	device {
                		vendor "LIO-ORG"
                		product ".*"
                		path_grouping_policy group_by_prio
                		prio alua
                		path_checker tur
                		hardware_handler "1 alua"
                		no_path_retry queue
                	}
                }
                overrides {
                	failback %s
                }
                """.formatted(failback);
    }

    /** The same plus where our daemon logs in: the host side of the guest's portals and ports, no discovery (NAT). */
    static String ourConfig(String failback) {
        StringBuilder b = new StringBuilder(config(failback)).append("mapperd_transports {\n");
        for (int p : new int[] {3260, 3261}) {
            b.append("\tiscsi_portal {\n\t\tportal ").append(RefVmGuest.HOST).append(':').append(p + RefVmGuest.ISCSI_OFFSET)
                    .append("\n\t\ttarget ").append(RefVmGuest.IQN)
                    .append("\n\t\tinitiator_name iqn.2026-11.io.mapperd:refvm-compare\n\t\tdiscovery no\n\t}\n");
        }
        for (int p : new int[] {4420, 4421}) {
            b.append("\tnvme_discovery {\n\t\taddress ").append(RefVmGuest.HOST).append(':').append(p + RefVmGuest.NVME_OFFSET)
                    .append("\n\t\tsubsystem_nqn ").append(RefVmGuest.NQN).append("\n\t\thost_nqn ").append(HOST_NQN)
                    .append("\n\t\tdiscovery no\n\t}\n");
        }
        return b.append("}\n").toString();
    }

    /**
     * The guest's initiator and multipathd up with {@link #config}; a running multipathd is told to
     * reconfigure, which it does in the background: wait until every map shows the failback asked for.
     */
    static Map<String, List<String>> guestUp(String failback) throws Exception {
        RefVmGuest.put(RefVmGuest.DIR + "/multipath.conf", config(failback));
        String out = "";
        for (int attempt = 0; attempt < 3 && !out.contains("REFVM-MP-UP"); attempt++) {
            out = RefVmGuest.guestMultipath("up " + RefVmGuest.DIR + "/multipath.conf");
        }
        assertTrue(out.contains("REFVM-MP-UP"), "the guest's multipathd did not build both maps:\n" + out);
        Map<String, List<String>> g = RefVmGuest.sections(out);
        String want = failback.equals("immediate") ? "immediate" : "-";
        for (int i = 0; i < 30 && !failbackIs(g, want); i++) {
            TimeUnit.SECONDS.sleep(2);
            g = guestShow();
        }
        assertTrue(failbackIs(g, want), "the guest's maps do not show failback " + failback + ": " + g.get("maps"));
        return g;
    }

    /** `multipathd show maps format "%w %F"`: every map shows {@code want} ("immediate"; "-" is manual). */
    static boolean failbackIs(Map<String, List<String>> g, String want) {
        List<String> maps = g.getOrDefault("maps", List.of());
        return maps.size() == 3 && maps.subList(1, maps.size()).stream()
                .allMatch(l -> l.trim().split("\\s+").length == 2 && l.trim().split("\\s+")[1].equals(want));
    }

    static Map<String, List<String>> guestShow() throws Exception {
        return RefVmGuest.sections(RefVmGuest.guestMultipath("show"));
    }

    /** Our daemon, with the same configuration and its own state directory. */
    static Daemon ourDaemon(String failback, String tag) throws Exception {
        Path conf = dir.resolve("multipath-" + tag + ".conf");
        Files.writeString(conf, ourConfig(failback));
        Path state = Files.createDirectories(dir.resolve("state-" + tag));
        DaemonOptions o = new DaemonOptions(Optional.of(conf), List.of(new ControlAddress("@/mapperd/test/" + UUID.randomUUID())),
                Optional.empty(), OptionalInt.empty());
        return new Daemon(o, new DeviceMapper(), ExportInfo.NONE).stateDir(state).start();
    }

    static Engine engine(Daemon d) {
        return d.engine().orElseThrow();
    }

    static void awaitMaps(Engine e) throws InterruptedException {
        await("our two maps of two checked paths each", Duration.ofSeconds(120), () -> e.maps().size() == 2
                && e.maps().stream().allMatch(m -> m.pathCount() == 2 && m.action().isEmpty())
                && e.paths().stream().allMatch(p -> p.priority() > 0 && p.checkerState().equals("ready")));
    }

    static void await(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Waits on the guest, polling its state every 2 s (each look is a shell round trip to an emulated CPU). */
    static Map<String, List<String>> awaitGuest(String what, Duration max, java.util.function.Predicate<Map<String, List<String>>> cond)
            throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            Map<String, List<String>> s = guestShow();
            if (cond.test(s)) {
                return s;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for the guest: " + what
                        + "\n" + String.join("\n", s.getOrDefault("topology", List.of())) + "\n"
                        + String.join("\n", s.getOrDefault("status", List.of())));
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    /** Whether the guest's topology of {@code wwid} shows priority group {@code n} (from 1) as the active one. */
    static boolean guestGroupActive(Map<String, List<String>> g, String wwid, int n) {
        List<String> t = topology(g.get("topology"), guestPorts(g)).get(wwid);
        List<String> groups = t == null ? List.of() : t.stream().filter(l -> l.contains("policy=")).toList();
        return groups.size() >= n && groups.get(n - 1).contains("status=active");
    }

    // ---- normalising both sides: device names and numbers become the guest-side port of the path ----

    /** dev name and dev_t to "port:NNNN", from the guest's "== ports" section ("sda 8:0 3260"). */
    static Map<String, String> guestPorts(Map<String, List<String>> g) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : g.get("ports")) {
            String[] w = l.trim().split("\\s+");
            out.put(w[0], "port:" + w[2]);
            out.put(w[1], "port:" + w[2]);
        }
        return out;
    }

    /** The same for our paths: the host-side portal or port, as the guest numbers it. */
    static Map<String, String> ourPorts(Engine e) {
        Map<String, String> out = new LinkedHashMap<>();
        for (PathView p : e.paths()) {
            int hostPort = Integer.parseInt(p.targetWwpn().substring(p.targetWwpn().lastIndexOf(':') + 1));
            int guestPort = p.protocol().startsWith("nvme") ? hostPort - RefVmGuest.NVME_OFFSET : hostPort - RefVmGuest.ISCSI_OFFSET;
            out.put(p.dev(), "port:" + guestPort);
            out.put(p.devT(), "port:" + guestPort);
        }
        return out;
    }

    static String mapped(String line, Map<String, String> ports) {
        List<String> out = new ArrayList<>();
        for (String w : line.strip().split("\\s+")) {
            out.add(ports.getOrDefault(w, w));
        }
        return String.join(" ", out);
    }

    /** `multipath -ll` / `show topology` per map (by WWID): dm-N dropped, path lines keyed by port. */
    static Map<String, List<String>> topology(List<String> lines, Map<String, String> ports) {
        Map<String, List<String>> maps = new TreeMap<>();
        List<String> cur = null;
        for (String raw : lines) {
            String l = raw.stripTrailing();
            if (l.startsWith("size=")) {
                cur.add(l);
            } else if (l.startsWith("|-+- ") || l.startsWith("`-+- ")) {
                cur.add(l.substring(5));
            } else if (l.matches("^[|` ] [|`]- .*")) {
                String[] w = l.substring(5).trim().split("\\s+");
                cur.add("  " + ports.getOrDefault(w[1], "?" + w[1]) + " " + String.join(" ", List.of(w).subList(3, w.length)));
            } else {
                String header = l.replaceFirst("^(create|reload|switchpg|rename): ", "");
                String[] w = header.trim().split("\\s+");
                cur = new ArrayList<>();
                cur.add(w[0] + " " + String.join(" ", List.of(w).subList(2, w.length)));
                maps.put(w[0], cur);
            }
        }
        return maps;
    }

    /** `dmsetup table|status --target multipath` lines ("NAME: 0 131072 multipath ...") per map. */
    static Map<String, String> dmLines(List<String> lines, Map<String, String> ports) {
        Map<String, String> out = new TreeMap<>();
        for (String l : lines) {
            int colon = l.indexOf(": ");
            out.put(l.substring(0, colon), mapped(l.substring(colon + 2), ports));
        }
        return out;
    }

    /** `show paths format "%d %D %w %t %T %o %p %s %P"`: the header, then one line per path sorted by port. */
    static List<String> pathLines(List<String> lines, Map<String, String> ports) {
        List<String> out = new ArrayList<>();
        out.add(String.join(" ", lines.getFirst().trim().split("\\s+")));
        lines.subList(1, lines.size()).stream().map(l -> mapped(l, ports)).sorted().forEach(out::add);
        return out;
    }

    static String ours(Daemon d, String command) {
        return d.commands().handle(command, Peer.self());
    }

    static List<String> ourDm(Daemon d, StatusType type) throws Exception {
        List<String> out = new ArrayList<>();
        for (MapView m : engine(d).maps()) {
            MappedDevice md = d.deviceMapper().get(m.name());
            out.add(m.name() + ": " + md.activeTable().lines(type).getFirst());
        }
        return out;
    }

    static void sideBySide(String title, List<String> guest, List<String> ours) {
        System.out.println("==== " + title + "\n---- guest (multipath-tools 0.9.4, kernel dm-multipath)");
        guest.forEach(System.out::println);
        System.out.println("---- ours (mapperd)");
        ours.forEach(System.out::println);
    }

    static String wwidOf(Engine e, String protocolPrefix) {
        return e.maps().stream().filter(m -> m.groups().getFirst().paths().getFirst().protocol().startsWith(protocolPrefix))
                .findFirst().orElseThrow().wwid();
    }

    @Test
    void pathsGroupsPrioritiesAndTablesAreTheGuestsMultipathds() throws Exception {
        // a fresh start on both sides: fail counts and group history from other tests are gone
        RefVmGuest.guestMultipath("down");
        Map<String, List<String>> g = guestUp("immediate");
        try (Daemon d = ourDaemon("immediate", "compare")) {
            Engine e = engine(d);
            awaitMaps(e);
            // one read through each map on both sides: pg_init has run and a group is current
            for (MapView m : e.maps()) {
                d.deviceMapper().get(m.name()).submit(Bio.read(0, ByteBuffer.allocateDirect(4096))).get(60, TimeUnit.SECONDS);
            }
            g = RefVmGuest.sections(RefVmGuest.guestMultipath("read-maps"));
            Map<String, String> gp = guestPorts(g);
            Map<String, String> op = ourPorts(e);

            List<String> ourPaths = ours(d, "show paths format \"%d %D %w %t %T %o %p %s %P\"").lines().filter(l -> !l.isBlank()).toList();
            sideBySide("show paths format \"%d %D %w %t %T %o %p %s %P\"", g.get("paths"), ourPaths);
            List<String> ourTopo = ours(d, "show topology").lines().filter(l -> !l.isBlank()).toList();
            sideBySide("multipath -ll / show topology", g.get("topology"), ourTopo);
            List<String> ourTable = ourDm(d, StatusType.TABLE);
            sideBySide("dmsetup table --target multipath", g.get("table"), ourTable);
            List<String> ourStatus = ourDm(d, StatusType.INFO);
            sideBySide("dmsetup status --target multipath", g.get("status"), ourStatus);

            assertEquals(pathLines(g.get("paths"), gp), pathLines(ourPaths, op), "show paths, by port");
            Map<String, List<String>> gt = topology(g.get("topology"), gp);
            Map<String, List<String>> ot = topology(ourTopo, op);
            assertEquals(gt.keySet(), ot.keySet(), "the maps (by WWID)");
            for (String wwid : gt.keySet()) {
                assertEquals(String.join("\n", gt.get(wwid)), String.join("\n", ot.get(wwid)), "topology of " + wwid);
            }
            assertEquals(dmLines(g.get("table"), gp), dmLines(ourTable, op), "tables, by port");
            assertEquals(dmLines(g.get("status"), gp), dmLines(ourStatus, op), "status, by port");
            // what the comparison rests on, said plainly
            MapView lio = e.maps().stream().filter(m -> m.wwid().equals(wwidOf(e, "scsi"))).findFirst().orElseThrow();
            assertEquals(List.of(50, 10), lio.groups().stream().map(x -> x.priority()).toList());
            assertEquals("port:3260", op.get(lio.groups().get(0).paths().getFirst().devT()), "ALUA active/optimized first");
            MapView nvme = e.maps().stream().filter(m -> m.wwid().equals(wwidOf(e, "nvme"))).findFirst().orElseThrow();
            assertEquals(List.of(50, 10), nvme.groups().stream().map(x -> x.priority()).toList());
            assertEquals("port:4420", op.get(nvme.groups().get(0).paths().getFirst().devT()), "ANA optimized first");
        }
    }

    @ParameterizedTest(name = "{0} port lost and back, failback {1}")
    @CsvSource({"iscsi, immediate", "iscsi, manual", "nvme, immediate", "nvme, manual"})
    void aLostPortMovesIoToTheOtherGroupAndBackAsFailbackSays(String transport, String failback) throws Exception {
        boolean iscsi = transport.equals("iscsi");
        String lostPort = iscsi ? "port:3260" : "port:4420";
        String keptPort = iscsi ? "port:3261" : "port:4421";
        Map<String, List<String>> g = guestUp(failback);
        try (Daemon d = ourDaemon(failback, transport + "-" + failback)) {
            Engine e = engine(d);
            awaitMaps(e);
            String wwid = wwidOf(e, iscsi ? "scsi" : "nvme");
            Map<String, String> op = ourPorts(e);
            Map<String, String> gp = guestPorts(g);
            String ourLost = key(op, lostPort, ":");
            String guestLost = key(gp, lostPort, ":");
            MappedDevice map = d.deviceMapper().get(wwid);
            // the workload writes the last 8 MiB of the LUN only: other tests use the start of these targets
            long size = map.sizeSectors();
            d.deviceMapper().create("refvm-work", "", "0 16384 linear /dev/mapper/" + wwid + " " + (size - 16384), false);
            List<String> report = new ArrayList<>();
            long[] lioBefore = new long[0];
            try (VerifiedWorkload w = new VerifiedWorkload(d.deviceMapper().get("refvm-work"), 2)) {
                RefVmGuest.guestMultipath("io-start " + wwid);
                w.awaitProgress(40, 120);
                assertEquals(1, ourStatus(d, wwid).activeGroup(), "I/O starts on the optimized group");
                report.add("before: guest " + guestStatus(guestShow(), wwid, gp) + " | ours " + mapped(ourStatusLine(d, wwid), op));

                if (iscsi) {
                    RefVmGuest.lioTpgEnabled(1, false);
                } else {
                    RefVmGuest.nvmetPortLinked(1, false);
                }
                await("our path over " + lostPort + " failed and I/O on group 2", Duration.ofSeconds(90),
                        () -> ourStatus(d, wwid).pathState(ourLost) == 'F' && ourStatus(d, wwid).activeGroup() == 2);
                w.awaitProgress(40, 120);
                if (iscsi) {
                    lioBefore = RefVmGuest.lioPortCounters(2);
                    w.awaitProgress(200, 120);
                    long[] after = RefVmGuest.lioPortCounters(2);
                    assertTrue(after[0] - lioBefore[0] >= 200, "LIO counted our I/O on the non-optimized portal: "
                            + (after[0] - lioBefore[0]) + " commands");
                }
                Map<String, List<String>> gLost = awaitGuest("its path over " + lostPort + " failed, I/O on group 2", Duration.ofSeconds(120),
                        s -> statusOf(s, wwid).pathState(guestLost) == 'F' && statusOf(s, wwid).activeGroup() == 2);
                report.add("lost:   guest " + guestStatus(gLost, wwid, gp) + " | ours " + mapped(ourStatusLine(d, wwid), op));
                topologySideBySide("after losing " + lostPort, gLost, d, wwid);
                assertSameTopology(gLost, d, wwid, gp, op);
            } finally {
                if (iscsi) {
                    RefVmGuest.restore(RefVmGuest.lioTpgEnableCommand(1));
                } else {
                    RefVmGuest.restore(RefVmGuest.nvmetLinkCommand(1));
                }
            }
            try (VerifiedWorkload w = new VerifiedWorkload(d.deviceMapper().get("refvm-work"), 2)) {
                await("our path over " + lostPort + " reinstated", Duration.ofSeconds(120),
                        () -> ourStatus(d, wwid).pathState(ourLost) == 'A');
                if (failback.equals("immediate")) {
                    await("our I/O back on group 1 (failback immediate)", Duration.ofSeconds(60), () -> ourStatus(d, wwid).activeGroup() == 1);
                    w.awaitProgress(40, 120);
                    if (iscsi) {
                        long[] c0 = RefVmGuest.lioPortCounters(1);
                        w.awaitProgress(200, 120);
                        long[] c1 = RefVmGuest.lioPortCounters(1);
                        assertTrue(c1[0] - c0[0] >= 200, "LIO counted our I/O on the optimized portal again: " + (c1[0] - c0[0]));
                    }
                    // multipathd's topology shows a group "active" only from its next sync with the kernel's status
                    Map<String, List<String>> gBack = awaitGuest("its I/O back on group 1", Duration.ofSeconds(120),
                            s -> statusOf(s, wwid).pathState(guestLost) == 'A' && statusOf(s, wwid).activeGroup() == 1
                                    && guestGroupActive(s, wwid, 1));
                    report.add("back:   guest " + guestStatus(gBack, wwid, gp) + " | ours " + mapped(ourStatusLine(d, wwid), op));
                    topologySideBySide("after " + lostPort + " came back (failback immediate)", gBack, d, wwid);
                    assertSameTopology(gBack, d, wwid, gp, op);
                } else {
                    Map<String, List<String>> gBack = awaitGuest("its path over " + lostPort + " reinstated", Duration.ofSeconds(120),
                            s -> statusOf(s, wwid).pathState(guestLost) == 'A');
                    // several checker rounds (polling_interval 2, up to 4): nobody switches back by itself
                    TimeUnit.SECONDS.sleep(10);
                    w.awaitProgress(40, 120);
                    gBack = guestShow();
                    report.add("back:   guest " + guestStatus(gBack, wwid, gp) + " | ours " + mapped(ourStatusLine(d, wwid), op));
                    topologySideBySide("after " + lostPort + " came back (failback manual)", gBack, d, wwid);
                    assertSameTopology(gBack, d, wwid, gp, op);
                    assertEquals(2, ourStatus(d, wwid).activeGroup(), "failback manual: our I/O stays on group 2");
                    assertEquals(2, statusOf(gBack, wwid).activeGroup(), "failback manual: the guest's I/O stays on group 2");
                }
                w.close();
                assertEquals(List.of(), w.errors, "verified workload through our map");
            } finally {
                RefVmGuest.guestMultipath("io-stop");
                System.out.println("==== status by port (" + transport + ", failback " + failback + ")");
                report.forEach(System.out::println);
                d.deviceMapper().remove("refvm-work", false, false);
            }
        }
    }

    /**
     * Our `show map X topology` comes to read as the guest's `multipath -ll` did (by port): the two
     * are snapshots a shell round trip apart, so ours gets 30 s to settle (a checker round).
     */
    static void assertSameTopology(Map<String, List<String>> g, Daemon d, String wwid, Map<String, String> gp,
                                   Map<String, String> op) throws InterruptedException {
        String guest = String.join("\n", topology(g.get("topology"), gp).get(wwid));
        String[] ours = new String[1];
        try {
            await("our topology of " + wwid + " to read as the guest's", Duration.ofSeconds(30), () -> {
                ours[0] = String.join("\n", topology(ours(d, "show map " + wwid + " topology").lines()
                        .filter(x -> !x.isBlank()).toList(), op).get(wwid));
                return guest.equals(ours[0]);
            });
        } catch (AssertionError e) {
            assertEquals(guest, ours[0], "topology of " + wwid + " by port");
        }
    }

    static String key(Map<String, String> ports, String port, String contains) {
        return ports.entrySet().stream().filter(x -> x.getValue().equals(port) && x.getKey().contains(contains))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no path over " + port + " in " + ports));
    }

    static String ourStatusLine(Daemon d, String wwid) {
        try {
            return d.deviceMapper().get(wwid).activeTable().lines(StatusType.INFO).getFirst();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    static MultipathStatus ourStatus(Daemon d, String wwid) {
        return MultipathStatus.parse(ourStatusLine(d, wwid));
    }

    static String guestStatusLine(Map<String, List<String>> g, String wwid) {
        return g.get("status").stream().filter(l -> l.startsWith(wwid + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("the guest has no map " + wwid + ": " + g.get("status")));
    }

    static MultipathStatus statusOf(Map<String, List<String>> g, String wwid) {
        return MultipathStatus.parse(guestStatusLine(g, wwid));
    }

    static String guestStatus(Map<String, List<String>> g, String wwid, Map<String, String> ports) {
        return mapped(guestStatusLine(g, wwid).substring(wwid.length() + 2), ports);
    }

    static void topologySideBySide(String title, Map<String, List<String>> g, Daemon d, String wwid) {
        List<String> guest = new ArrayList<>();
        boolean in = false;
        for (String l : g.get("topology")) {
            if (!l.startsWith(" ") && !l.startsWith("|") && !l.startsWith("`") && !l.startsWith("size=")) {
                in = l.startsWith(wwid + " ");
            }
            if (in) {
                guest.add(l);
            }
        }
        sideBySide(title, guest, ours(d, "show map " + wwid + " topology").lines().filter(x -> !x.isBlank()).toList());
    }
}
