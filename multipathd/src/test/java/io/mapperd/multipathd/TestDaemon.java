package io.mapperd.multipathd;

import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.dmsetup.DmsetupClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** A daemon on a private abstract socket name (and a path socket), and a dmsetup client for it. */
public final class TestDaemon implements AutoCloseable {
    public final ControlAddress abstractName = new ControlAddress("@/mapperd/test/" + UUID.randomUUID());
    public final ControlAddress pathSocket;
    public final Daemon daemon;

    public TestDaemon(Path dir) {
        this(dir, ExportInfo.NONE);
    }

    public TestDaemon(Path dir, ExportInfo exports) {
        pathSocket = new ControlAddress(dir.resolve("control.sock").toString());
        DaemonOptions o = new DaemonOptions(Optional.empty(), List.of(abstractName, pathSocket), Optional.empty(), OptionalInt.empty());
        daemon = new Daemon(o, new io.mapperd.dm.core.DeviceMapper(), exports).start();
    }

    /** Runs bin/dmsetup's client code against this daemon. */
    public Reply dmsetup(String... argv) {
        return dmsetupWithStdin("", argv);
    }

    public Reply dmsetupWithStdin(String stdin, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DmsetupClient.run(argv, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MAPPERD_SOCKET", abstractName.spec(), "LANG", "C"));
        return new Reply(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
