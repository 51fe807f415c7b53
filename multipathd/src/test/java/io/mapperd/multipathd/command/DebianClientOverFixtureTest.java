package io.mapperd.multipathd.command;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.mapperd.multipathd.command.ReferenceOutputTest.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's own multipathd client (multipath-tools 0.9.4) against our daemon on the default
 * abstract socket, with the fixture SAN as its policy engine: its `show` output is the real
 * multipathd's byte for byte, fail/reinstate path act, an unprivileged client is refused changes,
 * and `show` answers while a slow action (a reconfigure held at a gate) runs.
 */
class DebianClientOverFixtureTest {
    FixtureSan san;
    Daemon daemon;
    String client;

    @BeforeEach
    void start() {
        client = Peers.require("multipathd", "/sbin", "/usr/sbin").toString();
        if (ControlClient.reachable(ControlAddress.DEFAULT)) {
            throw new IllegalStateException(ControlAddress.DEFAULT + " is taken by a running daemon (a demo?): stop it to run this test");
        }
        san = FixtureSan.refvm();
        daemon = new Daemon(new DaemonOptions(Optional.empty(), List.of(ControlAddress.DEFAULT), Optional.empty(), OptionalInt.empty()),
                new DeviceMapper(), ExportInfo.NONE, san, san).start();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    Peers.Result multipathd(boolean asNobody, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of(Peers.require("setpriv", "/usr/bin", "/bin").toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.add(client);
        cmd.addAll(List.of(args));
        return Peers.run(cmd);
    }

    void same(String caseNo, String... args) throws Exception {
        Peers.Result r = multipathd(false, args);
        assertEquals(0, r.rc(), r.err());
        assertEquals(reference(caseNo), r.out(), String.join(" ", args));
    }

    @Test
    void showsWhatTheRealMultipathdShows() throws Exception {
        same("03", "show", "paths");
        same("04", "show", "maps");
        same("02", "show", "topology");
        same("05", "show", "maps", "json");
        same("12", "show", "paths", "raw", "format", "%d|%D|%t|%T");
        same("54", "-kshow maps");
    }

    @Test
    void failAndReinstatePath() throws Exception {
        Peers.Result fail = multipathd(false, "fail", "path", "sdb");
        assertEquals(new Peers.Result("ok\n", "", 0), fail);
        san.tick("sdb", 3);
        same("28", "show", "paths");
        Peers.Result reinstate = multipathd(false, "reinstate", "path", "/dev/sdb");
        assertEquals(new Peers.Result("ok\n", "", 0), reinstate);
        san.tick("sdb", 15);
        same("03", "show", "paths");
        Peers.Result unknown = multipathd(false, "fail", "path", "sdz");
        assertEquals(new Peers.Result("fail\n", "", 1), unknown);
        assertEquals(List.of("fail sdb", "reinstate sdb"), san.log);
    }

    @Test
    void nobodyReadsButCannotFailAPath() throws Exception {
        Peers.requireRoot("switch to uid 65534");
        Peers.Result read = multipathd(true, "show", "maps");
        assertEquals(reference("04"), read.out());
        Peers.Result refused = multipathd(true, "fail", "path", "sdb");
        assertEquals("permission deny: need to be root\n", refused.out());
        assertTrue(san.log.isEmpty(), san.log.toString());
    }

    @Test
    void showAnswersWhileAnActionIsSlow() throws Exception {
        CountDownLatch gate = san.holdActions();
        CompletableFuture<String> reconfigure = CompletableFuture.supplyAsync(() -> {
            try {
                return ControlClient.request(ControlAddress.DEFAULT, "reconfigure", Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<String> failPath = CompletableFuture.supplyAsync(() -> {
            try {
                return ControlClient.request(ControlAddress.DEFAULT, "fail path sda", Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(reconfigure.isDone(), "the reconfigure should be held at the gate");
        long t0 = System.nanoTime();
        same("02", "show", "topology");
        same("03", "show", "paths");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 5000, "show took " + ms + " ms while actions were held");
        assertFalse(reconfigure.isDone());
        assertFalse(failPath.isDone());
        gate.countDown();
        assertEquals("ok\n", reconfigure.get(10, TimeUnit.SECONDS));
        assertEquals("ok\n", failPath.get(10, TimeUnit.SECONDS));
    }
}
