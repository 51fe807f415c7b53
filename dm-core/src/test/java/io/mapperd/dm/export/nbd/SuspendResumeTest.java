package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Suspend and resume while qemu-io writes and verifies: requests wait, nothing fails, data is right. */
class SuspendResumeTest {
    @TempDir
    Path dir;
    NbdFixture fx;
    Process qemu;

    @BeforeEach
    void start() throws Exception {
        Tools.require("qemu-io");
        fx = new NbdFixture(dir);
        fx.linear("disk", 32 << 20, false);
    }

    @AfterEach
    void stop() throws Exception {
        Tools.stop(qemu);
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void suspendResumeUnderARunningWorkload() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        int rounds = 3000;
        for (int i = 0; i < rounds; i++) {
            long off = (i % 400) * 65536L + (i % 7) * 100;
            int pat = 1 + (i % 250);
            cmd.addAll(List.of("-c", "write -P " + pat + " " + off + " 20000", "-c", "read -P " + pat + " " + off + " 20000"));
        }
        cmd.add(fx.uri("disk"));
        Path log = dir.resolve("qemu-io.log");
        qemu = Tools.start(log, cmd);
        int cycles = 0;
        while (qemu.isAlive() && cycles < 40) {
            Thread.sleep(30);
            fx.dm.suspend("disk", false);
            Thread.sleep(50);
            assertTrue(fx.dm.get("disk").suspended());
            fx.dm.resume("disk");
            cycles++;
        }
        assertTrue(qemu.waitFor(120, TimeUnit.SECONDS), "qemu-io finished");
        String out = Files.readString(log);
        assertEquals(0, qemu.exitValue(), out);
        assertFalse(out.contains("failed") || out.contains("error") || out.contains("Pattern verification"), out);
        assertTrue(cycles >= 5, "only " + cycles + " suspend/resume cycles overlapped the workload");
        long reads = out.lines().filter(l -> l.startsWith("read 20000/20000")).count();
        assertEquals(rounds, reads, "every read verified");
    }
}
