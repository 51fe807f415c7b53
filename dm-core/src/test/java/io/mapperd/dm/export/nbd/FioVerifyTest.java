package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fio's nbd engine: random 4 KiB writes at queue depth 32 over 4 connections, verified with crc32c. */
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
        Tools.Result r = Tools.run(Duration.ofMinutes(3), "fio", "--name=verify", "--ioengine=nbd", "--uri=" + fx.uri("disk"),
                "--rw=randwrite", "--bs=4k", "--iodepth=32", "--numjobs=4", "--size=32m", "--offset_increment=32m",
                "--verify=crc32c", "--do_verify=1", "--verify_fatal=1", "--verify_state_save=0", "--group_reporting").ok("fio");
        String out = r.out() + r.err();
        assertFalse(out.contains("verify: bad") || out.contains("crc32c: verify failed"), out);
        assertTrue(out.contains("err= 0"), out);
    }
}
