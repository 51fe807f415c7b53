package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mapperd.sim.iscsi.SimFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tshark, Wireshark's dissector, judges the wire: our initiator talking to target-sim, every PDU well formed. */
class TsharkDissectionTest {
    @Test
    void everyPduBetweenOurInitiatorAndTargetSimDissectsCleanly(@TempDir Path dir) throws Exception {
        String tshark = SimFixture.require("tshark");
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            int port = sim.portals().get(0).port();
            Path pcap = dir.resolve("iscsi.pcapng");
            Process cap = new ProcessBuilder(tshark, "-i", "lo", "-B", "64", "-f", "tcp port " + port, "-w", pcap.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tshark.log").toFile()).start();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!Files.readString(dir.resolve("tshark.log")).contains("Capturing on") && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                Thread.sleep(300);
                get(IscsiSession.discover("127.0.0.1", port, SessionConfig.defaults()));
                IscsiLun lun = SimFixture.open(sim, 0, SessionConfig.defaults().withData(true, false));
                get(lun.deviceIdentification());
                get(lun.reportTargetPortGroups());
                List<CompletableFuture<Void>> io = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    io.add(lun.submit(Bio.write(i * 1024L, SimAluaTest.pattern(512 << 10, i), 0)));
                }
                for (CompletableFuture<Void> f : io) {
                    get(f);
                }
                get(lun.submit(Bio.read(0, ByteBuffer.allocateDirect(1 << 20))));
                get(lun.submit(Bio.flush()));
                get(lun.submit(Bio.discard(2048, 65536)));
                get(lun.ping(Duration.ofSeconds(2)));
                get(lun.session().abortTask(1, 0x4242));
                lun.session().close();
                IscsiLun r2t = SimFixture.open(sim, 0, SessionConfig.defaults().withData(false, true));
                get(r2t.submit(Bio.write(0, SimAluaTest.pattern(1 << 20, 9), Bio.FUA)));
                r2t.session().close();
                Thread.sleep(1500); // let dumpcap write out what it has (the machine may be busy)
            } finally {
                cap.destroy();
                cap.waitFor(10, TimeUnit.SECONDS);
            }
            String capLog = Files.readString(dir.resolve("tshark.log"));
            assertTrue(!capLog.matches("(?s).*[1-9][0-9]* packets? dropped.*"), "the capture dropped packets: " + capLog);
            SimFixture.Run all = SimFixture.run(60, tshark, "-r", pcap.toString(), "-d", "tcp.port==" + port + ",iscsi",
                    "-Y", "iscsi", "-T", "fields", "-e", "iscsi.opcode");
            assertEquals(0, all.rc(), all.out());
            Map<String, Integer> opcodes = new TreeMap<>();
            for (String line : all.out().lines().filter(l -> !l.startsWith("Running as user")).toList()) {
                for (String op : line.trim().split(",")) {
                    if (!op.isBlank()) {
                        opcodes.merge(op.trim(), 1, Integer::sum);
                    }
                }
            }
            // Login, text, SCSI command/response, Data-Out/In, R2T, NOP, task management and logout all appear.
            for (String op : List.of("0x03", "0x23", "0x04", "0x24", "0x01", "0x21", "0x05", "0x25", "0x31", "0x00", "0x20",
                    "0x02", "0x22", "0x06", "0x26")) {
                assertTrue(opcodes.containsKey(op), "opcode " + op + " in the capture: " + opcodes);
            }
            SimFixture.Run bad = SimFixture.run(60, tshark, "-r", pcap.toString(), "-d", "tcp.port==" + port + ",iscsi",
                    "-Y", "_ws.malformed || _ws.expert.severity == error || iscsi.reject.reason");
            assertEquals(0, bad.rc(), bad.out());
            String frames = bad.out().lines().filter(l -> !l.startsWith("Running as user")).reduce("", (a, b) -> a + b + "\n");
            assertEquals("", frames.trim(), "malformed or rejected PDUs:\n" + frames);
        }
    }
}
