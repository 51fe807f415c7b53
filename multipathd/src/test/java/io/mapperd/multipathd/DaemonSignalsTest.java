package io.mapperd.multipathd;

import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon under a service manager: READY=1 on $NOTIFY_SOCKET, SIGHUP reconfigures, a bad file is refused. */
class DaemonSignalsTest {
    @TempDir
    Path dir;

    @Test
    void notifiesReadyAndReconfiguresOnSighupKeepingTheRunningConfigurationOnABadFile() throws Exception {
        Path socat = Peers.require("socat", "/usr/bin", "/bin");
        Path notify = dir.resolve("notify");
        Path got = dir.resolve("notified");
        Process listener = new ProcessBuilder(socat.toString(), "-u", "UNIX-RECV:" + notify, "CREATE:" + got).start();
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, "defaults {\n\tpolling_interval 5\n\tbindings_file " + dir.resolve("b") + "\n}\n");
        String name = "@/mapperd/test/" + UUID.randomUUID();
        Path log = dir.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.mapperd.multipathd.Main", "daemon", "-c", conf.toString(), "--abstract", name, "--no-nbd")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NOTIFY_SOCKET", notify.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(notify));
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ControlClient.reachable(new ControlAddress(name)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(got) && Files.readString(got).contains("READY=1"));

            Files.writeString(conf, "blacklist {\n\tdevnode \"([bad\"\n}\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("reconfigure refused"));
            assertTrue(ControlClient.reachable(new ControlAddress(name)), "still serving after a refused reconfigure");

            Files.writeString(conf, "defaults {\n\tpolling_interval 3\n\tbindings_file " + dir.resolve("b") + "\n}\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("reconfigure: ok"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(got).contains("RELOADING=1"));

            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(got).contains("STOPPING=1"));
        } finally {
            p.destroyForcibly();
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
