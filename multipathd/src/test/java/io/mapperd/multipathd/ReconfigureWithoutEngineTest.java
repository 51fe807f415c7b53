package io.mapperd.multipathd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.control.AccessPolicy;
import io.mapperd.multipathd.control.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon with no policy engine: reconfigure re-reads its file, a dry run prints the difference
 * and changes nothing, a bad file leaves the running configuration, path actions fail (it has no
 * paths), and shutdown stops it.
 */
class ReconfigureWithoutEngineTest {
    @TempDir
    Path dir;

    @Test
    void reconfigureDryRunBadFileAndShutdown() throws Exception {
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, "defaults {\n\tpolling_interval 5\n}\n");
        ControlAddressHolder a = new ControlAddressHolder();
        Daemon d = new Daemon(new DaemonOptions(Optional.of(conf), List.of(a.address), Optional.empty(), OptionalInt.empty()),
                new DeviceMapper(), ExportInfo.NONE).start();
        try {
            String before = d.commands().handle("show config", Peer.self());
            assertTrue(before.contains("\tpolling_interval 5\n"), before);

            Files.writeString(conf, "defaults {\n\tpolling_interval 7\n}\n");
            String dry = d.commands().handle("reconfigure --dry-run", Peer.self());
            assertEquals("- \tpolling_interval 5\n- \tmax_polling_interval 20\n+ \tpolling_interval 7\n+ \tmax_polling_interval 28\n", dry);
            assertEquals(before, d.commands().handle("show config", Peer.self()));

            assertEquals("ok\n", d.commands().handle("reconfigure", Peer.self()));
            assertTrue(d.commands().handle("show config", Peer.self()).contains("\tpolling_interval 7\n"));

            Files.writeString(conf, "blacklist {\n\twwid \"[unclosed\"\n}\n");
            assertEquals("fail\n", d.commands().handle("reconfigure", Peer.self()));
            String dryBad = d.commands().handle("reconfigure dry-run", Peer.self());
            assertTrue(dryBad.startsWith(conf.toString() + ": "), dryBad);
            assertTrue(d.commands().handle("show config", Peer.self()).contains("\tpolling_interval 7\n"));

            assertEquals("fail\n", d.commands().handle("fail path sdb", Peer.self()));
            assertEquals("ok\n", d.commands().handle("show paths", Peer.self()));
            assertEquals("permission deny: need to be root\n",
                    d.commands().handle("shutdown", new Peer(1, 65534, new int[] {65534})));
            assertEquals("ok\n", d.commands().handle("shutdown", Peer.self()));
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    d.awaitStop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.join(5000);
            assertTrue(!t.isAlive(), "shutdown did not stop the daemon");
        } finally {
            d.close();
        }
    }

    static final class ControlAddressHolder {
        final io.mapperd.multipathd.control.ControlAddress address =
                new io.mapperd.multipathd.control.ControlAddress("@/mapperd/test/" + UUID.randomUUID());
    }
}
