package io.mapperd.multipathd.engine;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.multipathd.view.PathView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's multipathd client (multipath-tools 0.9.4) drives add/del path and add/del map on our
 * daemon over target-sim, on the default abstract socket, while a verified workload runs on the map.
 */
class DebianClientPathAndMapCommandsTest {
    @TempDir
    Path dir;

    static Peers.Result multipathd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Peers.require("multipathd", "/sbin", "/usr/sbin").toString());
        cmd.addAll(List.of(args));
        return Peers.run(cmd);
    }

    @Test
    void pathAndMapCommandsFromDebiansClientUnderIo() throws Exception {
        Peers.require("multipathd", "/sbin", "/usr/sbin");
        if (ControlClient.reachable(ControlAddress.DEFAULT)) {
            throw new IllegalStateException(ControlAddress.DEFAULT + " is taken by a running daemon (a demo?): stop it to run this test");
        }
        try (SanFixture f = new SanFixture(dir)) {
            Path conf = dir.resolve("multipath.conf");
            Files.writeString(conf, f.config("", "blacklist {\n\tdevnode \"^sdz\"\n}\n" + CheckerLoopTest.device("immediate", "")));
            Daemon d = new Daemon(new DaemonOptions(Optional.of(conf), List.of(ControlAddress.DEFAULT), Optional.empty(),
                    OptionalInt.empty()), f.dm, ExportInfo.NONE).start();
            try {
                Engine e = d.engine().orElseThrow();
                MapView m = CheckerLoopTest.ready(f, e);
                PathView victim = e.paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID0)
                        && p.targetWwpn().equals(f.portal(0).address())).findFirst().orElseThrow();
                MappedDevice md = f.dm.get(m.name());
                try (VerifiedWorkload w = new VerifiedWorkload(md, 2)) {
                    w.awaitProgress(50, 30);
                    assertEquals(new Peers.Result("ok\n", "", 0), multipathd("del", "path", victim.dev()));
                    assertFalse(multipathd("show", "paths").out().contains(victim.dev() + " "));
                    assertEquals(3, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
                    w.awaitProgress(50, 30);
                    assertEquals(new Peers.Result("fail\n", "", 1), multipathd("remove", "path", victim.dev()));
                    assertEquals(new Peers.Result("ok\n", "", 0), multipathd("add", "path", "/dev/" + victim.dev()));
                    assertEquals(4, CheckerLoopTest.map(e, SanFixture.WWID0).pathCount());
                    assertTrue(multipathd("show", "topology").out().contains(victim.dev() + " "));
                    w.awaitProgress(50, 30);
                    // the workload holds the map open: dm_flush_map refuses
                    md.open();
                    assertEquals(new Peers.Result("fail\n", "", 1), multipathd("del", "map", m.name()));
                    md.close();
                    w.close();
                    assertEquals(List.of(), w.errors);
                }
                assertEquals(new Peers.Result("blacklisted\n", "", 0), multipathd("add", "path", "sdz"));
                assertEquals(new Peers.Result("ok\n", "", 0), multipathd("remove", "map", m.name()));
                assertFalse(multipathd("show", "maps").out().contains(m.name()));
                assertTrue(f.dm.find(m.name()).isEmpty());
                assertEquals(new Peers.Result("ok\n", "", 0), multipathd("add", "map", SanFixture.WWID0));
                SanFixture.await("the map back", Duration.ofSeconds(10), () -> CheckerLoopTest.map(e, SanFixture.WWID0) != null);
                assertTrue(multipathd("show", "maps").out().contains(m.name()));
                assertEquals(new Peers.Result("ok\n", "", 0), multipathd("del", "maps"));
                assertTrue(e.maps().isEmpty(), e.maps().toString());
            } finally {
                d.close();
            }
        }
    }
}
