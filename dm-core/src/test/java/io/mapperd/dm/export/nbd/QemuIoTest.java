package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qemu-io (QEMU's NBD client) on a linear device: pattern writes and reads, FUA, discard, write zeroes. */
class QemuIoTest {
    private static final Duration T = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        Tools.require("qemu-io");
        fx = new NbdFixture(dir);
        fx.linear("disk", 8 << 20, false);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private String qemuIo(String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(fx.uri("disk"));
        Tools.Result r = Tools.run(T, cmd).ok("qemu-io");
        String all = r.out() + r.err();
        assertFalse(all.contains("failed") || all.contains("error"), all);
        return all;
    }

    @Test
    void patternWritesAndReadsAtUnalignedOffsets() throws Exception {
        qemuIo("write -P 0xab 1000 70000", "write -P 0xcd 511 2", "write -P 0xef 8388607 1",
                "read -P 0xab 1000 70000", "read -P 0 513 487",
                "read -P 0xcd 511 2", "read -P 0 0 511", "read -P 0xef 8388607 1", "read -P 0 71000 8317607");
        byte[] file = Files.readAllBytes(fx.backing("disk"));
        assertEquals((byte) 0, file[510]);
        assertEquals((byte) 0xcd, file[511]);
        assertEquals((byte) 0xcd, file[512]);
        assertEquals((byte) 0, file[513]);
        assertEquals((byte) 0xab, file[1000]);
        assertEquals((byte) 0xab, file[70999]);
        assertEquals((byte) 0, file[71000]);
        assertEquals((byte) 0xef, file[8388607]);
    }

    @Test
    void fuaWritesReachTheFile() throws Exception {
        String out = qemuIo("write -f -P 0x11 4096 4096", "write -f -P 0x22 10000 300", "read -P 0x11 4096 4096",
                "read -P 0x22 10000 300", "flush");
        assertTrue(out.contains("wrote 4096/4096"), out);
        byte[] file = Files.readAllBytes(fx.backing("disk"));
        assertEquals((byte) 0x11, file[4096]);
        assertEquals((byte) 0x22, file[10299]);
    }

    @Test
    void discardAndWriteZeroesReadBackAsZeroes() throws Exception {
        qemuIo("write -P 0x77 0 4M", "discard 1M 1M", "read -P 0 1M 1M", "read -P 0x77 0 1M", "read -P 0x77 2M 2M",
                "write -z 3 5000", "read -P 0 3 5000", "read -P 0x77 0 3", "read -P 0x77 5003 1000",
                "write -z -u 3M 64k", "read -P 0 3M 64k", "read -P 0x77 3200k 64k");
        Tools.require("nbdinfo");
        String map = Tools.run(T, "nbdinfo", "--map", fx.uri("disk")).ok("nbdinfo --map").out();
        assertTrue(map.contains("1048576     1048576    3  hole,zero"), "the discard punched a hole:\n" + map);
    }
}
