package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.TmpfsTempDirs;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fio's nbd engine: random writes over several connections, verified with crc32c. */
class FioVerifyTest {
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        Tools.require("fio");
        fx = new NbdFixture(dir);
        fx.linear("disk", 128 << 20, false);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void randomWritesVerifyAcrossFourConnections() throws Exception {
        verifiedRandomWrites(fx.uri("disk"), "--bs=4k", "--iodepth=32", "--numjobs=4");
    }

    /** fio random writes of 32 MiB per job (jobs side by side), read back and checked with crc32c. */
    private static void verifiedRandomWrites(String uri, String... shape) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=verify", "--ioengine=nbd",
                "--uri=" + uri, "--rw=randwrite"));
        cmd.addAll(List.of(shape));
        cmd.addAll(List.of("--size=32m", "--offset_increment=32m", "--verify=crc32c", "--do_verify=1",
                "--verify_fatal=1", "--verify_state_save=0", "--group_reporting"));
        Tools.Result r = Tools.run(Duration.ofMinutes(3), cmd).ok("fio");
        String out = r.out() + r.err();
        assertFalse(out.contains("verify: bad") || out.contains("crc32c: verify failed"), out);
        assertTrue(out.contains("err= 0"), out);
    }

    /** Over a file on tmpfs the event loops write themselves (InlineIo): sizes 4 KiB to 1 MiB, two connections. */
    @Test
    void writesOfMixedSizesVerifyOverAFileOnTmpfs(@TempDir(factory = TmpfsTempDirs.class) Path shm) throws Exception {
        try (NbdFixture mem = new NbdFixture(shm)) {
            mem.linear("mem", 64 << 20, false);
            try (FileBlockDevice probe = FileBlockDevice.open(mem.backing("mem"), true, new DevT(7, 9), 512)) {
                assertTrue(probe.isMemoryBacked(), "backing file on tmpfs");
            }
            verifiedRandomWrites(mem.uri("mem"), "--bsrange=4k-1m", "--iodepth=16", "--numjobs=2");
        }
    }
}
