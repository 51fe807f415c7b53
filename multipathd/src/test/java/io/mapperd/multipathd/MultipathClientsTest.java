package io.mapperd.multipathd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.command.FixtureSan;
import io.mapperd.multipathd.command.References;
import io.mapperd.multipathd.control.ControlAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our CLIs against a daemon on a private socket with the fixture SAN: `mapperd multipath -ll`
 * prints what multipath -ll prints, `bin/multipathd` sends commands as Debian's client does (so the
 * help quotes them back identically) and reads commands from stdin with -k.
 */
class MultipathClientsTest {
    final ControlAddress address = new ControlAddress("@/mapperd/test/" + UUID.randomUUID());
    FixtureSan san;
    Daemon daemon;

    @BeforeEach
    void start() {
        san = FixtureSan.refvm();
        daemon = new Daemon(new DaemonOptions(Optional.empty(), List.of(address), Optional.empty(), OptionalInt.empty()),
                new DeviceMapper(), ExportInfo.NONE, san, san).start();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    record Run(String out, String err, int rc) {
    }

    Run multipath(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = MultipathLl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MAPPERD_SOCKET", address.spec()));
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }

    Run multipathd(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = MultipathdClient.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MAPPERD_SOCKET", address.spec()));
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }

    @Test
    void multipathLlAsksTheDaemon() throws Exception {
        assertEquals(new Run(References.out("01"), "", 0), multipath("-ll"));
        assertEquals(new Run(References.out("01"), "", 0), multipath("-ll", "-v2", "mpatha"));
        assertEquals(new Run(References.out("01"), "", 0), multipath("-ll", "dm-0"));
        assertEquals(new Run("", "mpathz: no such multipath map\n", 1), multipath("-ll", "mpathz"));
        assertEquals(1, multipath("-ll", "-d").rc());
    }

    @Test
    void multipathdClientSendsAsDebiansDoes() throws Exception {
        assertEquals(new Run(References.out("23"), "", 0), multipathd("", "show", "foo"));
        assertEquals(new Run(References.out("53"), "", 0), multipathd("", "show", "paths", "format", "%d %t %X %%"));
        assertEquals(new Run("fail\n", "", 1), multipathd("", "fail", "path", "nosuch"));
        assertEquals(new Run(References.out("04"), "", 0), multipathd("", "-kshow maps"));
    }

    @Test
    void interactiveReadsCommandsUntilQuit() throws Exception {
        Run r = multipathd("show maps\n\nfail path sdb\nquit\nshow maps\n", "-k");
        assertEquals(References.out("04") + "ok\n", r.out());
        assertEquals(0, r.rc());
        assertEquals(List.of("fail sdb"), san.log);
    }
}
