package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nbdinfo (libnbd) against the export: list, size, flags, block status map. */
class NbdInfoTest {
    private static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        Tools.require("nbdinfo");
        fx = new NbdFixture(dir);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void listShowsEveryDevice() throws Exception {
        fx.linear("alpha", 1 << 20, false);
        fx.linear("beta", 2 << 20, true);
        String out = Tools.run(T, "nbdinfo", "--list", "nbd://127.0.0.1:" + fx.port()).ok("nbdinfo --list").out();
        assertTrue(out.contains("export=\"alpha\""), out);
        assertTrue(out.contains("export=\"beta\""), out);
        fx.dm.rename("beta", "gamma");
        out = Tools.run(T, "nbdinfo", "--list", "nbd://127.0.0.1:" + fx.port()).ok("nbdinfo --list").out();
        assertTrue(out.contains("export=\"gamma\"") && !out.contains("export=\"beta\""), out);
    }

    @Test
    void sizeAndFlagsFollowTheDevice() throws Exception {
        fx.linear("rw", 3 << 20, false);
        fx.linear("ro", 1 << 20, true);
        assertEquals("3145728", Tools.run(T, "nbdinfo", "--size", fx.uri("rw")).ok("nbdinfo --size").out().trim());
        String rw = Tools.run(T, "nbdinfo", fx.uri("rw")).ok("nbdinfo").out();
        for (String f : List.of("is_read_only: false", "can_flush: true", "can_fua: true", "can_trim: true",
                "can_zero: true", "can_fast_zero: true", "can_multi_conn: true", "can_cache: true",
                "block_size_minimum: 1", "base:allocation", "description: device-mapper device rw (253:0)")) {
            assertTrue(rw.contains(f), f + " in\n" + rw);
        }
        String ro = Tools.run(T, "nbdinfo", fx.uri("ro")).ok("nbdinfo").out();
        for (String f : List.of("is_read_only: true", "can_trim: false", "can_zero: false", "can_flush: false")) {
            assertTrue(ro.contains(f), f + " in\n" + ro);
        }
        Tools.Result missing = Tools.run(T, "nbdinfo", fx.uri("nosuch"));
        assertTrue(missing.exit() != 0 && missing.err().contains("nosuch"), missing.err());
    }

    @Test
    void mapShowsHolesWhereTargetsAndFilesHaveThem() throws Exception {
        Path f = fx.file("data.img", 4 << 20);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(64 << 10);
            while (b.hasRemaining()) {
                b.put((byte) 0x42);
            }
            ch.write(b.flip(), 1 << 20);
        }
        // 4 MiB of sparse file with 64 KiB of data at 1 MiB, then 1 MiB zero, then 1 MiB error
        fx.dm.create("mixed", null, "0 8192 linear " + f + " 0\n8192 2048 zero\n10240 2048 error", false);
        String out = Tools.run(T, "nbdinfo", "--map", fx.uri("mixed")).ok("nbdinfo --map").out();
        List<String> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] w = line.trim().split("\\s+");
            rows.add(w[0] + " " + w[1] + " " + w[2]);
        }
        assertEquals(List.of(
                "0 1048576 3",
                "1048576 65536 0",
                "1114112 4128768 3",   // rest of the file's holes and the zero target merge
                "5242880 1048576 1"), rows, out);
    }
}
