package io.mapperd.multipathd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sd_notify datagrams reach a unix datagram socket as systemd's (socat stands in for systemd). */
class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void readyDatagramArrivesAtNotifySocket() throws Exception {
        Path socat = Peers.require("socat", "/usr/bin", "/bin");
        Path sock = dir.resolve("notify");
        Path got = dir.resolve("got");
        Process p = new ProcessBuilder(socat.toString(), "-u", "UNIX-RECV:" + sock, "CREATE:" + got).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(sock), "socat did not create " + sock);
            assertTrue(new SdNotify(Map.of("NOTIFY_SOCKET", sock.toString())).send("READY=1\nSTATUS=running"));
            for (int i = 0; i < 100 && (!Files.exists(got) || Files.size(got) == 0); i++) {
                Thread.sleep(20);
            }
            assertEquals("READY=1\nSTATUS=running", Files.readString(got, StandardCharsets.UTF_8));
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        assertFalse(new SdNotify(Map.of()).send("READY=1"));
    }
}
