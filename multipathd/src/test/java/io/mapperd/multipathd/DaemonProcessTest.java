package io.mapperd.multipathd;

import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `mapperd daemon` as its own process: listens where told (ss sees the abstract name), stops on SIGTERM. */
class DaemonProcessTest {
    @TempDir
    Path dir;

    @Test
    void servesBothSocketsAndStopsCleanlyOnSigterm() throws Exception {
        String name = "@/mapperd/test/" + UUID.randomUUID();
        Path sock = dir.resolve("ctl.sock");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.mapperd.multipathd.Main", "daemon", "--abstract", name, "--socket", sock.toString(), "--metrics-address", "127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ControlClient.reachable(new ControlAddress(name)));
            assertTrue(Files.exists(sock));
            assertEquals("pid " + p.pid() + " idle\n",
                    ControlClient.request(new ControlAddress(sock.toString()), "show daemon", Duration.ofSeconds(10)));
            Path ss = Peers.require("ss", "/usr/bin", "/bin", "/sbin", "/usr/sbin");
            Peers.Result listening = Peers.run(List.of(ss.toString(), "-xl"));
            assertTrue(listening.out().contains(name + " "), "ss -xl lists " + name + ":\n" + listening.out());

            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "daemon stops on SIGTERM");
            String log = Files.readString(dir.resolve("daemon.log"));
            assertTrue(log.contains("mapperd stopped"), log);
            assertFalse(Files.exists(sock), "path socket removed");
            assertFalse(ControlClient.reachable(new ControlAddress(name)));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void refusesAPathThatIsNotASocket() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Daemon(DaemonOptions.parse(List.of("--abstract", "@/mapperd/test/" + UUID.randomUUID(),
                        "--socket", plain.toString()))).start());
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertTrue(Files.exists(plain));
    }
}
