package io.mapperd.sim;

import io.mapperd.transport.iscsi.cli.IscsiCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sim -c FILE`, `sim ctl ...` and `iscsi ls|inq|readcap` as an operator runs them, against each other. */
class SimAndIscsiCommandsTest {
    record Out(int rc, String out, String err) {
    }

    static Out iscsi(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = IscsiCommands.run(args, new PrintStream(o, true), new PrintStream(e, true));
        return new Out(rc, o.toString(), e.toString());
    }

    static Out sim(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = SimCommands.run(args, new PrintStream(o, true), new PrintStream(e, true));
        return new Out(rc, o.toString(), e.toString());
    }

    @Test
    void aYamlSimulatorIsControlledAtRunTimeAndInspectedWithTheIscsiCommands(@TempDir Path dir) throws Exception {
        int port = freePort();
        int control = freePort();
        Path yaml = dir.resolve("sim.yaml");
        Files.writeString(yaml, """
                control: 127.0.0.1:%d
                alua: both
                port_groups:
                  - {id: 16, state: active/optimized, preferred: true}
                  - {id: 17, state: active/non-optimized}
                portals:
                  - {address: 127.0.0.1:%d, group: 16}
                  - {address: 127.0.0.2:%d, group: 17}
                targets:
                  - iqn: iqn.2026-01.io.mapperd.sim:yaml
                    luns:
                      - {id: 1, file: disk.img, size: 32M, serial: YAML0001}
                """.formatted(control, port, port));
        ByteArrayOutputStream simOut = new ByteArrayOutputStream();
        Thread runner = Thread.ofVirtual().start(() -> SimCommands.run(new String[]{"-c", yaml.toString()}, new PrintStream(simOut, true), System.err));
        String ctl = "127.0.0.1:" + control;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Out show;
        do {
            Thread.sleep(50);
            show = sim("ctl", "--control", ctl, "show");
        } while (show.rc() != 0 && System.nanoTime() < end);
        try {
            assertEquals(0, show.rc(), show.err());
            assertTrue(show.out().contains("portal 127.0.0.2:" + port + " relative-port 2 group 17 active/non-optimized"), show.out());
            String url = "iscsi://127.0.0.1:" + port + "/iqn.2026-01.io.mapperd.sim:yaml/1";

            Out ls = iscsi("ls", "iscsi://127.0.0.1:" + port);
            assertEquals(0, ls.rc(), ls.err());
            assertTrue(ls.out().contains("Target:iqn.2026-01.io.mapperd.sim:yaml Portal:127.0.0.2:" + port + ",2"), ls.out());
            assertTrue(ls.out().contains("Lun:1    Type:DIRECT_ACCESS (Size:32M)"), ls.out());

            Out inq = iscsi("inq", url);
            assertEquals(0, inq.rc(), inq.err());
            assertTrue(inq.out().contains("Vendor:MAPPERD") && inq.out().contains("TPGS:3"), inq.out());
            Out vpd = iscsi("inq", url, "--evpd", "0x83");
            assertTrue(vpd.out().contains("NAA 6, association logical unit"), vpd.out());
            assertTrue(vpd.out().contains("relative target port, association target port, protocol iSCSI: 1"), vpd.out());
            assertTrue(vpd.out().contains("target port group, association target port, protocol iSCSI: 16"), vpd.out());
            assertTrue(iscsi("inq", url, "--evpd", "128").out().contains("Unit Serial Number:YAML0001"));

            Out perf = iscsi("perf", url, "--random", "--qd", "4", "--ramp", "0", "--seconds", "1");
            assertEquals(0, perf.rc(), perf.err());
            assertTrue(perf.out().contains("result random read bs=4096 qd=4 iops="), perf.out());
            Out perfW = iscsi("perf", url, "--write", "--bs", "64k", "--qd", "2", "--ramp", "0", "--seconds", "0.5");
            assertTrue(perfW.out().contains("result sequential write bs=65536"), perfW.out() + perfW.err());

            Out cap = iscsi("readcap", url);
            assertTrue(cap.out().contains("Logical Block Length:512") && cap.out().contains("Total size:33554432 (32M)"), cap.out());

            assertEquals(0, sim("ctl", "--control", ctl, "alua", "17", "standby").rc());
            assertTrue(sim("ctl", "--control", ctl, "show").out().contains("group 17 standby"));
            assertEquals(0, sim("ctl", "--control", ctl, "fault", "127.0.0.1:" + port, "down").rc());
            Out refused = iscsi("readcap", url);
            assertEquals(1, refused.rc());
            assertTrue(refused.err().contains("cannot connect"), refused.err());
            assertEquals(0, sim("ctl", "--control", ctl, "fault", "127.0.0.1:" + port, "up").rc());
            assertEquals(0, iscsi("readcap", url).rc());

            Out bad = sim("ctl", "--control", ctl, "fault", "127.0.0.1:" + port, "explode");
            assertEquals(1, bad.rc());
            assertTrue(bad.err().contains("unknown fault 'explode'"), bad.err());
            Out badState = sim("ctl", "--control", ctl, "alua", "17", "sleepy");
            assertTrue(badState.err().contains("unknown ALUA state sleepy"), badState.err());
            Out usage = iscsi("inq");
            assertEquals(2, usage.rc());
        } finally {
            runner.interrupt();
        }
    }

    @Test
    void aBadYamlFileIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "portals:\n  - {address: 127.0.0.1:1, group: 9}\ntargets:\n  - iqn: x\n    luns: []\nport_groups: []\nbogus: 1\n");
        Out o = sim("-c", yaml.toString());
        assertEquals(1, o.rc());
        assertTrue(o.err().contains("unknown key 'bogus'"), o.err());
    }

    @Test
    void theShippedExampleParses() throws Exception {
        var c = io.mapperd.sim.iscsi.SimConfigYaml.load(Path.of("examples/two-portals-alua.yaml"));
        assertEquals(2, c.portals().size());
        assertEquals(17, c.portals().get(1).group());
        assertEquals(io.mapperd.sim.iscsi.SimConfig.AluaMode.BOTH, c.alua());
        assertEquals(256L << 20, c.targets().get(0).luns().get(0).sizeBytes());
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
