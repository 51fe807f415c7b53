package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.cli.NvmeCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator served from YAML, driven with sim ctl, inspected with the nvme operator commands. */
class NvmeSimCommandsTest {
    @TempDir
    Path dir;

    record Result(int rc, String out, String err) {
    }

    static Result sim(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NvmeSimCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result nvme(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NvmeCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void serveFromYamlControlAndInspect() throws Exception {
        int p1 = freePort();
        int p2 = freePort();
        Path yaml = dir.resolve("sim.yaml");
        Files.writeString(yaml, """
                nvme:
                  portals:
                    - {id: 1, address: 127.0.0.1:%d}
                    - {id: 2, address: 127.0.0.1:%d}
                  subsystems:
                    - nqn: nqn.2024-01.io.mapperd:yaml
                      serial: YAML01
                      namespaces:
                        - {nsid: 1, file: ns1.img, size: 16M, nguid: 00112233445566778899aabbccddeeff, uuid: none}
                  ana:
                    - {portal: 2, group: 1, state: non-optimized}
                """.formatted(p1, p2));
        Path sock = dir.resolve("ctl.sock");
        CompletableFuture<Result> served = CompletableFuture.supplyAsync(() -> sim("serve", yaml.toString(), "--ctl", sock.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(sock));
        try {
            assertTrue(Files.size(dir.resolve("ns1.img")) == 16 << 20);
            Result d = nvme("discover", "127.0.0.1:" + p2);
            assertEquals(0, d.rc(), d.err());
            assertTrue(d.out().contains("subnqn:  nqn.2024-01.io.mapperd:yaml"), d.out());
            assertTrue(d.out().contains("trsvcid: " + p2), d.out());
            String url = "nvme+tcp://127.0.0.1:" + p1 + "/nqn.2024-01.io.mapperd:yaml";
            Result ns = nvme("id-ns", url + "/1");
            assertEquals(0, ns.rc(), ns.err());
            assertTrue(ns.out().contains("wwid      : eui.00112233445566778899aabbccddeeff"), ns.out());
            assertTrue(nvme("ana-log", "nvme+tcp://127.0.0.1:" + p2 + "/nqn.2024-01.io.mapperd:yaml").out().contains("state\t:\tnon-optimized"));
            Result ana = sim("ctl", "--ctl", sock.toString(), "ana", "1", "1", "inaccessible");
            assertEquals(0, ana.rc(), ana.err());
            assertTrue(nvme("ana-log", url).out().contains("state\t:\tinaccessible"));
            Result fault = sim("ctl", "--ctl", sock.toString(), "fault", "1", "refuse");
            assertEquals(0, fault.rc(), fault.err());
            Result refused = nvme("-t", "2", "id-ctrl", url);
            assertEquals(1, refused.rc(), refused.out());
            Result status = sim("ctl", "--ctl", sock.toString(), "status");
            assertTrue(status.out().contains("portal 1 127.0.0.1:" + p1 + " fault=refuse"), status.out());
            assertTrue(status.out().contains("ana1=inaccessible"), status.out());
            Result bad = sim("ctl", "--ctl", sock.toString(), "fault", "1", "explode");
            assertEquals(2, bad.rc());
            assertTrue(bad.err().contains("unknown fault 'explode'"), bad.err());
            bad = sim("ctl", "--ctl", sock.toString(), "ana", "9", "1", "optimized");
            assertTrue(bad.err().contains("no portal 9"), bad.err());
        } finally {
            sim("ctl", "--ctl", sock.toString(), "stop");
        }
        assertEquals(0, served.get().rc(), served.get().err());
    }

    @Test
    void theShippedExampleParses() throws Exception {
        Path yaml = dir.resolve("example.yaml");
        try (var in = NvmeSimCommandsTest.class.getResourceAsStream("/nvme-sim-example.yaml")) {
            Files.write(yaml, in.readAllBytes());
        }
        NvmeSimConfig cfg = NvmeSimConfig.fromYaml(NvmeSimCommands.loadYaml(yaml), dir);
        assertEquals(2, cfg.portals().size());
        assertEquals(2, cfg.subsystems().size());
        assertEquals(java.util.List.of(2), cfg.subsystems().get(1).portals());
        assertEquals("00112233445566778899aabbccddeeff", cfg.subsystems().get(0).namespaces().get(1).nguid());
        assertEquals(null, cfg.subsystems().get(0).namespaces().get(1).uuid());
        assertEquals(4 << 20, cfg.maxH2cData());
    }

    @Test
    void badYamlIsRefusedWithTheReason() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, """
                nvme:
                  portals: [{id: 1, address: 127.0.0.1:0}]
                  subsystems:
                    - nqn: nqn.2024-01.io.mapperd:bad
                      namespaces: [{nsid: 1, file: x.img, size: 1M, colour: blue}]
                """);
        Result r = sim("serve", yaml.toString(), "--ctl", dir.resolve("c.sock").toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("namespace: unknown key 'colour'"), r.err());
        Files.writeString(yaml, "nvme:\n  portals: [{id: 1, address: 127.0.0.1:0}]\n  subsystems: [{nqn: nqn.x, portals: [3]}]\n");
        r = sim("serve", yaml.toString(), "--ctl", dir.resolve("c.sock").toString());
        assertTrue(r.err().contains("names portal 3, which is not configured"), r.err());
        assertEquals(1, sim("ctl", "--ctl", dir.resolve("none.sock").toString(), "status").rc());
    }
}
