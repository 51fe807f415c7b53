package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and truncated bytes at every protocol stage: each hostile connection gets an error reply
 * or a clean disconnect, the device is released, and a well-behaved client connected throughout
 * (and a new one afterwards) is served.
 */
class HostileClientTest {
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new NbdFixture(dir);
        fx.linear("disk", 4 << 20, false);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private interface Stage {
        /** Brings a fresh connection to some stage of the protocol, then sends {@code junk} there. */
        void attack(RawNbdClient c, byte[] junk) throws IOException;
    }

    private static void flags(RawNbdClient c) throws IOException {
        c.greeting();
        c.out.writeInt(NbdProtocol.FLAG_C_FIXED_NEWSTYLE);
    }

    private static final Stage[] STAGES = {
        (c, junk) -> c.out.write(junk),                                              // instead of client flags
        (c, junk) -> { flags(c); c.out.write(junk); },                                // instead of an option
        (c, junk) -> { flags(c); c.out.writeLong(NbdProtocol.IHAVEOPT); c.out.write(junk); }, // option code/length
        (c, junk) -> { flags(c); c.out.writeLong(NbdProtocol.IHAVEOPT); c.out.writeInt(NbdProtocol.OPT_GO);
            c.out.writeInt(junk.length); c.out.write(junk); },                        // GO with junk content
        (c, junk) -> { flags(c); c.out.writeLong(NbdProtocol.IHAVEOPT); c.out.writeInt(NbdProtocol.OPT_SET_META_CONTEXT);
            c.out.writeInt(junk.length + 100); c.out.write(junk); },                   // truncated option
        (c, junk) -> { assertEquals(NbdProtocol.REP_ACK, c.go("disk")); c.out.write(junk); }, // instead of a request
        (c, junk) -> { assertEquals(NbdProtocol.REP_ACK, c.go("disk")); c.out.writeInt(NbdProtocol.REQUEST_MAGIC);
            c.out.write(junk); },                                                     // request fields
        (c, junk) -> { assertEquals(NbdProtocol.REP_ACK, c.go("disk"));
            c.send(0, NbdProtocol.CMD_WRITE, 1, 0, 1 << 20, null); c.out.write(junk); }, // truncated write payload
        (c, junk) -> { assertEquals(NbdProtocol.REP_ACK, c.go("disk"));
            c.send(0, NbdProtocol.CMD_WRITE, 1, 0, -1, null); c.out.write(junk); },       // 4 GiB write announced
    };

    @Test
    void everyStageSurvivesJunkAndTheServerCarriesOn() throws Exception {
        Random rnd = new Random(1234);
        try (RawNbdClient good = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, good.go("disk"));
            byte[] pattern = new byte[8192];
            rnd.nextBytes(pattern);
            good.send(0, NbdProtocol.CMD_WRITE, 1, 65536, pattern.length, pattern);
            assertEquals(0, good.reply(0).error());
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < STAGES.length; s++) {
                    byte[] junk = new byte[1 + rnd.nextInt(round == 0 ? 16 : 600)];
                    rnd.nextBytes(junk);
                    try (RawNbdClient bad = new RawNbdClient(fx.port())) {
                        STAGES[s].attack(bad, junk);
                        bad.out.flush();
                        if (round == 2) {
                            bad.socket.shutdownOutput(); // truncated: the client goes away mid-message
                        }
                        bad.socket.setSoTimeout(200);
                        bad.closedByServer();
                    } catch (IOException e) {
                        // the server may already have hung up on the junk; that is a clean outcome
                    }
                }
                good.send(0, NbdProtocol.CMD_READ, 100 + round, 65536, pattern.length, null);
                assertArrayEquals(pattern, good.reply(pattern.length).data(), "the well-behaved client is still served");
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.server.clientCount("disk") == 0);
        assertEquals(0, fx.dm.get("disk").openCount());
        if (Tools.find("qemu-io") != null) {
            Tools.run(Duration.ofSeconds(30), "qemu-io", "-f", "raw", "-c", "read 0 64k", fx.uri("disk")).ok("qemu-io after the attacks");
        }
        try (RawNbdClient after = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, after.go("disk"));
            after.send(0, NbdProtocol.CMD_FLUSH, 9, 0, 0, null);
            assertEquals(0, after.reply(0).error());
        }
    }

    @Test
    void silentClientIsDroppedAfterTheHandshakeTimeout() throws Exception {
        NbdServer quick = NbdServer.start(fx.dm, NbdServerConfig.defaults().withPort(0).withHandshakeTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket("127.0.0.1", quick.boundPort())) {
            s.setSoTimeout(5000);
            byte[] greeting = s.getInputStream().readNBytes(18);
            assertEquals(18, greeting.length);
            new DataOutputStream(s.getOutputStream()).writeInt(1);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        } finally {
            quick.stop();
        }
    }
}
