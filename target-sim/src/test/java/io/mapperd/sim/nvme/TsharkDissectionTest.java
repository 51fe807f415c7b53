package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.AnaState;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wireshark's NVMe/TCP dissector (Debian's tshark) reads our host's and target-sim's traffic with no malformed PDU. */
class TsharkDissectionTest {
    @TempDir
    Path dir;

    static void requireTshark() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/tshark"));
        String why = "tshark is not installed (apt-get install tshark)";
        if (!present && "true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(present, why);
    }

    @Test
    void hostAndTargetTrafficDissectsCleanlyWithAndWithoutDigests() throws Exception {
        requireTshark();
        for (boolean digests : new boolean[]{false, true}) {
            try (SimFixture sim = new SimFixture(64 << 10, 8192)) {
                int port = sim.portal(1).getPort();
                Path pcap = dir.resolve("nvme-" + digests + ".pcap");
                Process cap = new ProcessBuilder("tshark", "-q", "-i", "lo", "-f", "tcp port " + port, "-w", pcap.toString())
                        .redirectErrorStream(true).start();
                try {
                    waitForCapture(cap);
                    NvmeTcpOptions o = NvmeTcpOptions.defaults().withIoQueues(2).withDigests(digests, digests);
                    try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, o)) {
                        NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
                        SimDataCheck.writeReadVerify(ns, 0, 1 << 20, 128 << 10, 8, 9);   // R2T + H2CData, C2HData
                        SimDataCheck.writeReadVerify(ns, 4096, 64 << 10, 4096, 8, 10);  // in-capsule writes
                        ns.submit(Bio.flush()).get(5, TimeUnit.SECONDS);
                        sim.target.setAnaState(1, 1, AnaState.NON_OPTIMIZED);        // an AEN
                        Thread.sleep(300);
                        ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(5, TimeUnit.SECONDS);
                    }
                    Thread.sleep(500);
                } finally {
                    cap.destroy();
                    cap.waitFor(10, TimeUnit.SECONDS);
                }
                String decode = "tcp.port==" + port + ",nvme-tcp";
                List<String> pdus = tshark("-r", pcap.toString(), "-d", decode, "-Y", "nvme-tcp", "-T", "fields", "-e", "nvme-tcp.type");
                assertTrue(pdus.size() > 50, "only " + pdus.size() + " NVMe/TCP PDUs dissected");
                for (String type : List.of("0", "1", "4", "5", "6", "7", "9")) {
                    assertTrue(pdus.stream().anyMatch(l -> l.contains(type)), "no PDU of type " + type + " among " + pdus.size());
                }
                List<String> bad = tshark("-r", pcap.toString(), "-d", decode, "-Y", "_ws.malformed || _ws.expert.severity >= \"error\"");
                assertEquals(List.of(), bad, "malformed or erroneous PDUs (digests " + digests + ")");
            }
        }
    }

    private static void waitForCapture(Process cap) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(cap.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains("Capturing on")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // tshark ended
                    }
                });
                Thread.sleep(300);
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        Assertions.fail("tshark did not start capturing on lo (last line: " + line + ")");
    }

    private static List<String> tshark(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "tshark";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tshark " + String.join(" ", args));
        return lines;
    }
}
