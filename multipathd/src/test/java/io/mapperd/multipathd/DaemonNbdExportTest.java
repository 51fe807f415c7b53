package io.mapperd.multipathd;

import io.mapperd.dm.export.nbd.NbdServerConfig;
import io.mapperd.multipathd.command.Reply;
import io.mapperd.multipathd.control.ControlAddress;
import io.mapperd.multipathd.dmsetup.DmsetupClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon exports its devices over NBD; real clients read and write them; info counts clients. */
class DaemonNbdExportTest {
    @TempDir
    Path dir;

    @Test
    void daemonExportsEveryDeviceToRealClients() throws Exception {
        Path qemuIo = Peers.require("qemu-io");
        Path nbdinfo = Peers.require("nbdinfo");
        Path img = dir.resolve("a.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16 << 20);
        }
        ControlAddress sock = new ControlAddress("@/mapperd/test/" + UUID.randomUUID());
        DaemonOptions o = DaemonOptions.parse(List.of("--abstract", sock.spec(), "--nbd", "127.0.0.1:0"));
        try (Daemon d = new Daemon(o).start()) {
            int port = d.nbd().boundPort();
            Reply created = dmsetup(sock, "create", "disk", "--table", "0 32768 linear " + img + " 0");
            assertEquals(0, created.rc(), created.err());
            String uri = "nbd://127.0.0.1:" + port + "/disk";
            Peers.Result size = Peers.run(List.of(nbdinfo.toString(), "--size", uri));
            assertEquals("16777216\n", size.out(), size.err());
            Peers.Result io = Peers.run(List.of(qemuIo.toString(), "-f", "raw", uri,
                    "-c", "write -P 0x5a 1536 64k", "-c", "read -P 0x5a 1536 64k"));
            assertEquals(0, io.rc(), io.out() + io.err());
            assertTrue(io.out().contains("read 65536/65536 bytes at offset 1536"), io.out());
            Reply info = dmsetup(sock, "info", "disk");
            assertTrue(info.out().contains("NBD clients:       0\n"), info.out());
            assertEquals(0, dmsetup(sock, "remove", "disk").rc());
            Peers.Result gone = Peers.run(List.of(nbdinfo.toString(), "--size", uri));
            assertTrue(gone.rc() != 0, "a removed device is no longer exported");
        }
    }

    @Test
    void nbdOptionsParse() {
        assertEquals(NbdServerConfig.DEFAULT_PORT, DaemonOptions.parse(List.of()).nbd().orElseThrow().port());
        assertEquals(10900, DaemonOptions.parse(List.of("--nbd", "127.0.0.2:10900")).nbd().orElseThrow().port());
        assertEquals("127.0.0.2", DaemonOptions.parse(List.of("--nbd", "127.0.0.2:10900")).nbd().orElseThrow().address());
        assertTrue(DaemonOptions.parse(List.of("--no-nbd")).nbd().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DaemonOptions.parse(List.of("--nbd", "127.0.0.1:x")));
        assertTrue(e.getMessage().startsWith("--nbd takes HOST:PORT, not 127.0.0.1:x"), e.getMessage());
    }

    private static Reply dmsetup(ControlAddress sock, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DmsetupClient.run(argv, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MAPPERD_SOCKET", sock.spec(), "LANG", "C"));
        return new Reply(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), rc);
    }
}
