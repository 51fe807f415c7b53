package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.DmException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports follow the device mapper: names, open counts, removal (plain and forced), suspend, errors on the wire. */
class ExportLifecycleTest {
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new NbdFixture(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void exportListFollowsCreateRenameRemove() throws Exception {
        fx.linear("a", 1 << 20, false);
        fx.linear("b", 1 << 20, false);
        assertEquals(List.of("a", "b"), fx.server.exportNames());
        fx.dm.rename("b", "c");
        assertEquals(List.of("a", "c"), fx.server.exportNames());
        fx.dm.remove("a", false, false);
        assertEquals(List.of("c"), fx.server.exportNames());
        try (RawNbdClient c = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ERR_UNKNOWN, c.go("b"));
        }
    }

    @Test
    void connectedClientHoldsTheDeviceOpenAndIsCounted() throws Exception {
        fx.linear("a", 1 << 20, false);
        try (RawNbdClient c = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, c.go("a"));
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.clientCount("a") == 1);
            assertEquals(1, fx.dm.get("a").openCount());
            DmException e = assertThrows(DmException.class, () -> fx.dm.remove("a", false, false));
            assertEquals(DmException.EBUSY, e.errno());
            fx.dm.rename("a", "renamed");
            assertEquals(1, fx.server.clientCount("renamed"));
            c.send(0, NbdProtocol.CMD_DISC, 1, 0, 0, null);
            assertTrue(c.closedByServer());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.clientCount("renamed") == 0);
        fx.dm.remove("renamed", false, false);
        assertEquals(List.of(), fx.server.exportNames());
    }

    @Test
    void forcedRemoveDisconnectsItsClientsOnly() throws Exception {
        fx.linear("a", 1 << 20, false);
        fx.linear("b", 1 << 20, false);
        try (RawNbdClient a = new RawNbdClient(fx.port()); RawNbdClient b = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, a.go("a"));
            assertEquals(NbdProtocol.REP_ACK, b.go("b"));
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.clientCount("a") == 1);
            fx.dm.remove("a", true, false);
            assertTrue(a.closedByServer());
            assertEquals(List.of("b"), fx.server.exportNames());
            b.send(0, NbdProtocol.CMD_READ, 2, 0, 4096, null);
            RawNbdClient.Reply r = b.reply(4096);
            assertEquals(0, r.error());
            assertEquals(1, fx.server.clientCount("b"));
        }
    }

    @Test
    void suspendedDeviceHoldsRequestsUntilResume() throws Exception {
        fx.linear("a", 1 << 20, false);
        try (RawNbdClient c = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, c.go("a"));
            fx.dm.suspend("a", false);
            byte[] data = new byte[4096];
            Arrays.fill(data, (byte) 0x5a);
            c.send(0, NbdProtocol.CMD_WRITE, 1, 8192, 4096, data);
            c.socket.setSoTimeout(500);
            assertTrue(!c.closedByServer(), "no reply while suspended");
            c.socket.setSoTimeout(10_000);
            fx.dm.resume("a");
            assertEquals(new RawNbdClient.Reply(1, 0, null), c.reply(0));
            c.send(0, NbdProtocol.CMD_READ, 2, 8192, 4096, null);
            assertArrayEquals(data, c.reply(4096).data());
        }
    }

    @Test
    void errorsOnTheWireThenTheConnectionCarriesOn() throws Exception {
        fx.linear("ro", 1 << 20, true);
        try (RawNbdClient c = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, c.go("ro"));
            assertTrue((c.flags & NbdProtocol.TF_READ_ONLY) != 0);
            assertEquals(1 << 20, c.size);
            c.send(0, NbdProtocol.CMD_WRITE, 1, 0, 512, new byte[512]);
            assertEquals(NbdProtocol.EPERM, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_WRITE_ZEROES, 2, 0, 512, null);
            assertEquals(NbdProtocol.EPERM, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_READ, 3, (1 << 20) - 512, 1024, null);
            assertEquals(NbdProtocol.EINVAL, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_READ, 4, -512, 512, null);
            assertEquals(NbdProtocol.EINVAL, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_READ, 5, 0, (32 << 20) + 1, null);
            assertEquals(NbdProtocol.EOVERFLOW, c.reply(0).error());
            c.send(0, 99, 6, 0, 0, null);
            assertEquals(NbdProtocol.EINVAL, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_BLOCK_STATUS, 7, 0, 512, null);
            assertEquals(NbdProtocol.EINVAL, c.reply(0).error());
            c.send(0, NbdProtocol.CMD_READ, 8, 100, 1000, null);
            RawNbdClient.Reply ok = c.reply(1000);
            assertEquals(8, ok.cookie());
            assertArrayEquals(new byte[1000], ok.data());
        }
    }
}
