package io.mapperd.multipathd.engine;

import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.ExportInfo;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.control.ControlClient;
import io.mapperd.multipathd.engine.pr.PrKeysFile;
import io.mapperd.multipathd.engine.state.PathRecord;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.transport.iscsi.scsi.PersistentReservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static io.mapperd.multipathd.engine.DebianClientPathAndMapCommandsTest.multipathd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mpathpersist's side of multipathd 0.9.4, asked with Debian's multipathd client: the prkeys file
 * kept in multipath-tools' format and read again after a restart, reservation_key "file" against a
 * key from the configuration, prflag, and a path taken back being registered with the map's key.
 */
class ReservationCommandsTest {
    @TempDir
    Path dir;

    static Peers.Result ok(String out) {
        return new Peers.Result(out, "", 0);
    }

    static final Peers.Result FAIL = new Peers.Result("fail\n", "", 1);

    /** The engine's record of the first path that {@code which} accepts. */
    static PathRecord record(Daemon d, java.util.function.Predicate<PathRecord> which) throws Exception {
        Engine e = d.engine().orElseThrow();
        return e.call(() -> e.paths.values().stream().filter(which).findFirst().orElseThrow()).get(10, TimeUnit.SECONDS);
    }

    /** A daemon process of its own: a device-mapper of its own (mapperd's lives in the daemon). */
    Daemon start(SanFixture f, String defaults) throws Exception {
        if (ControlClient.reachable(ControlAddress.DEFAULT)) {
            throw new IllegalStateException(ControlAddress.DEFAULT + " is taken by a running daemon (a demo?): stop it to run this test");
        }
        Path conf = dir.resolve("multipath.conf");
        Files.writeString(conf, f.config("\tprkeys_file " + dir.resolve("prkeys") + "\n" + defaults,
                CheckerLoopTest.device("immediate", "")));
        Daemon d = new Daemon(new DaemonOptions(Optional.of(conf), List.of(ControlAddress.DEFAULT), Optional.empty(),
                OptionalInt.empty()), new DeviceMapper(), ExportInfo.NONE).start();
        CheckerLoopTest.ready(f, d.engine().orElseThrow());
        return d;
    }

    @Test
    void keysFromTheFileOutliveTheDaemonAndPrflagFollowsTheTarget() throws Exception {
        Peers.require("multipathd", "/sbin", "/usr/sbin");
        try (SanFixture f = new SanFixture(dir)) {
            String name;
            Daemon d = start(f, "\treservation_key file\n");
            try {
                MapView m = CheckerLoopTest.map(d.engine().orElseThrow(), SanFixture.WWID0);
                name = m.name();
                assertEquals(ok("none\n"), multipathd("getprkey", "map", name));
                assertEquals(ok("0"), multipathd("getprstatus", "map", name));
                assertEquals(ok("ok\n"), multipathd("setprkey", "map", name, "key", "7a11"));
                assertEquals(ok("0x7a11\n"), multipathd("getprkey", "map", name));
                assertEquals(FAIL, multipathd("setprkey", "map", name, "key", "0xnothex"));
                assertEquals(ok("ok\n"), multipathd("setprstatus", "map", name));
                assertEquals(ok("1"), multipathd("getprstatus", "map", name));
                assertEquals(ok("ok\n"), multipathd("unsetprstatus", "map", name));
                assertEquals(ok("0"), multipathd("getprstatus", "map", name));
                assertEquals(FAIL, multipathd("getprkey", "map", "nosuchmap"));
                // as mpathpersist --register would: the key registered through one path
                PathRecord first = record(d, p -> p.info.wwid().equals(SanFixture.WWID0));
                assertTrue(first.io.scsi().orElseThrow().persistentReserveOut(PersistentReservation.OUT_REGISTER, 0, 0, 0x7a11)
                        .get(10, TimeUnit.SECONDS).good());
            } finally {
                d.close();
            }
            assertEquals(PrKeysFile.HEADER + "0x0000000000007a11 " + SanFixture.WWID0 + "\n",
                    Files.readString(dir.resolve("prkeys")));

            d = start(f, "\treservation_key file\n");
            try {
                assertEquals(ok("0x7a11\n"), multipathd("getprkey", "map", name), "the key read back from the prkeys file");
                assertEquals(ok("0"), multipathd("getprstatus", "map", name), "0.9.4 sets prflag only as paths are added");
                String other = d.engine().orElseThrow().paths().stream().filter(p -> p.wwid().equals(SanFixture.WWID0))
                        .toList().getLast().dev();
                assertEquals(ok("ok\n"), multipathd("del", "path", other));
                assertEquals(ok("ok\n"), multipathd("add", "path", other));
                assertEquals(ok("1"), multipathd("getprstatus", "map", name), "READ KEYS found the map's key");
                PersistentReservation keys = record(d, p -> p.name().equals(other)).io.scsi().orElseThrow().persistentReserveIn(PersistentReservation.READ_KEYS).get(10, TimeUnit.SECONDS);
                assertTrue(keys.keys().size() >= 2 && keys.keys().stream().allMatch(k -> k == 0x7a11), keys.toString());

                assertEquals(ok("ok\n"), multipathd("unsetprkey", "map", name));
                assertEquals(ok("none\n"), multipathd("getprkey", "map", name));
            } finally {
                d.close();
            }
            assertEquals(PrKeysFile.HEADER + "#x0000000000007a11 " + SanFixture.WWID0 + "\n",
                    Files.readString(dir.resolve("prkeys")));
        }
    }

    @Test
    void aKeyFromTheConfigurationWinsOverTheFile() throws Exception {
        Peers.require("multipathd", "/sbin", "/usr/sbin");
        try (SanFixture f = new SanFixture(dir)) {
            Daemon d = start(f, "\treservation_key 0xABC:aptpl\n");
            try {
                String name = CheckerLoopTest.map(d.engine().orElseThrow(), SanFixture.WWID0).name();
                assertEquals(ok("0xabc:aptpl\n"), multipathd("getprkey", "map", name));
                assertEquals(FAIL, multipathd("setprkey", "map", name, "key", "0x1"));
                assertEquals(FAIL, multipathd("unsetprkey", "map", name));
                assertEquals(ok("0xabc:aptpl\n"), multipathd("getprkey", "map", name));
            } finally {
                d.close();
            }
        }
    }
}
