package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.control.ControlAddress;
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

/** `reconfigure` through the command language counts as a reload, by result; a dry run does not. */
class ReloadMetricsTest {
    @TempDir
    Path dir;

    @Test
    void reloadsAreCountedBySuccessAndFailure() throws Exception {
        Path conf = Files.writeString(dir.resolve("multipath.conf"), "defaults {\n\tpolling_interval 5\n}\n");
        DaemonOptions o = new DaemonOptions(Optional.of(conf), List.of(new ControlAddress("@/mapperd/test/" + UUID.randomUUID())),
                Optional.empty(), OptionalInt.empty());
        try (Daemon d = new Daemon(o, new DeviceMapper(), ExportInfo.NONE).start()) {
            String ok = "mapperd_config_reloads_total{result=\"success\",}";
            String failed = "mapperd_config_reloads_total{result=\"failure\",}";
            assertEquals(0, ExpositionTest.value(d.metrics().scrape(), ok));
            Files.writeString(conf, "defaults {\n\tpolling_interval 7\n}\n");
            assertEquals("ok\n", d.commands().handle("reconfigure", Peer.self()));
            d.commands().handle("reconfigure --dry-run", Peer.self());
            Files.writeString(conf, "blacklist {\n\twwid \"[unclosed\"\n}\n");
            assertEquals("fail\n", d.commands().handle("reconfigure", Peer.self()));
            String s = d.metrics().scrape();
            assertEquals(1, ExpositionTest.value(s, ok));
            assertEquals(1, ExpositionTest.value(s, failed));
        }
    }
}
