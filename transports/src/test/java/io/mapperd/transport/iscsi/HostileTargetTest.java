package io.mapperd.transport.iscsi;

import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.iscsi.pdu.DataIn;
import io.mapperd.transport.iscsi.pdu.LoginResponse;
import io.mapperd.transport.iscsi.pdu.Pdu;
import io.mapperd.transport.iscsi.pdu.ScsiResponse;
import io.mapperd.transport.iscsi.scsi.Cdb;
import io.mapperd.transport.iscsi.scsi.ScsiResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile target: it logs the initiator in properly, then answers a READ with garbage, lies about
 * lengths, uses unknown task tags or sends huge data segments. The initiator must end each case with a
 * typed error, promptly, and never crash or hang.
 */
class HostileTargetTest {
    interface Behaviour {
        void answer(Socket s, byte[] commandBhs) throws IOException;
    }

    /** Accepts one connection, logs it in (two login PDUs), reads one SCSI command and misbehaves. */
    static int serve(ServerSocket server, Behaviour b) {
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                int statSn = 1;
                for (int stage = 0; stage < 2; stage++) {
                    byte[] bhs = readPdu(in);
                    ByteBuf r = ByteBuf(bhs);
                    int itt = r.getInt(16);
                    int cmdSn = r.getInt(24);
                    long isid = ((long) r.getUnsignedShort(8) << 32) | r.getUnsignedInt(10);
                    ByteBuf keys = Unpooled.copiedBuffer(stage == 0 ? "AuthMethod=None\0" : "MaxRecvDataSegmentLength=8192\0HeaderDigest=None\0DataDigest=None\0", StandardCharsets.UTF_8);
                    write(out, new LoginResponse(true, false, stage, stage == 0 ? 1 : 3, 0, 0, isid, stage == 0 ? 0 : 1, itt, statSn,
                            cmdSn, cmdSn + 16, 0, 0, keys));
                }
                byte[] cmd = readPdu(in);
                b.answer(s, cmd);
                Thread.sleep(10_000);
            } catch (IOException | InterruptedException e) {
                // the initiator hung up: expected
            }
        });
        return server.getLocalPort();
    }

    static ByteBuf ByteBuf(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    static byte[] readPdu(DataInputStream in) throws IOException {
        byte[] bhs = new byte[48];
        in.readFully(bhs);
        int len = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        in.readFully(new byte[(len + 3) & ~3]);
        return bhs;
    }

    static void write(OutputStream out, Pdu p) throws IOException {
        ByteBuf b = Unpooled.buffer();
        p.writeBhs(b);
        int len = p.data().readableBytes();
        b.writeBytes(p.data());
        b.writeZero((4 - (len & 3)) & 3);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.write(bytes);
        out.flush();
    }

    static int itt(byte[] bhs) {
        return Unpooled.wrappedBuffer(bhs).getInt(16);
    }

    /** Logs in to the hostile target, sends READ(16) of 8 blocks, returns how the command ended. */
    static Throwable readAgainst(Behaviour b) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = serve(server, b);
            SessionConfig cfg = SessionConfig.defaults().withReconnect(false)
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1));
            IscsiSession s = IscsiSession.login("127.0.0.1", port, "iqn.2026-01.test:hostile", cfg).get(10, TimeUnit.SECONDS);
            try {
                CompletableFuture<ScsiResult> f = s.execute(1, Cdb.read16(0, 8), ByteBuffer.allocate(4096), null);
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                return e.getCause();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void garbageAfterLoginIsATransportError() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable t = readAgainst((s, cmd) -> {
                byte[] junk = new byte[4096];
                new Random(1).nextBytes(junk);
                junk[0] = 0x1c; // an opcode no target sends
                s.getOutputStream().write(junk);
            });
            assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(t), t.toString());
        });
    }

    @Test
    void aHugeDataSegmentIsRefusedBeforeItIsRead() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable t = readAgainst((s, cmd) -> {
                byte[] bhs = new byte[48];
                bhs[0] = 0x25;
                bhs[1] = (byte) 0x80;
                bhs[5] = (byte) 0xff;
                bhs[6] = (byte) 0xff;
                bhs[7] = (byte) 0xff;
                System.arraycopy(cmd, 16, bhs, 16, 4);
                s.getOutputStream().write(bhs);
            });
            assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(t));
            assertTrue(t.getMessage().contains("exceeds MaxRecvDataSegmentLength"), t.getMessage());
        });
    }

    @Test
    void dataInBeyondTheExpectedLengthIsAProtocolError() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable t = readAgainst((s, cmd) -> write(s.getOutputStream(), new DataIn(DataIn.FINAL | DataIn.STATUS, 0, 1L << 48,
                    itt(cmd), Pdu.RESERVED_TAG, 2, 2, 20, 0, 4000, 0, Unpooled.wrappedBuffer(new byte[512]))));
            assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(t));
            assertTrue(t.getMessage().contains("exceeds its expected transfer length"), t.getMessage());
        });
    }

    @Test
    void answersForUnknownTasksAreIgnoredAndTheCommandTimesOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable t = readAgainst((s, cmd) -> {
                write(s.getOutputStream(), new ScsiResponse(0, 0, 0, itt(cmd) + 12345, 2, 2, 20, 0, 0, 0, Unpooled.EMPTY_BUFFER));
                write(s.getOutputStream(), new DataIn(DataIn.FINAL | DataIn.STATUS, 0, 1L << 48, 0x5555, Pdu.RESERVED_TAG, 3, 2, 20,
                        0, 0, 0, Unpooled.wrappedBuffer(new byte[512])));
            });
            assertEquals(BlkStatus.TIMEOUT, BioException.statusOf(t), t.toString());
        });
    }

    @Test
    void aLengthFieldThatLiesLeavesTheConnectionToTheNopTimeout() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable t = readAgainst((s, cmd) -> {
                byte[] bhs = new byte[48];
                bhs[0] = 0x21;
                bhs[1] = (byte) 0x80;
                bhs[7] = 100; // promises 100 bytes of sense and sends none
                System.arraycopy(cmd, 16, bhs, 16, 4);
                s.getOutputStream().write(bhs);
            });
            assertTrue(BioException.statusOf(t).isPathError(), t.toString());
        });
    }

    @Test
    void garbageDuringLoginFailsTheLogin() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    readPdu(new DataInputStream(s.getInputStream()));
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".repeat(4).getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(5000);
                } catch (IOException | InterruptedException e) {
                    // hung up
                }
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> IscsiSession.login("127.0.0.1", server.getLocalPort(),
                    "iqn.2026-01.test:hostile", SessionConfig.defaults()).get(15, TimeUnit.SECONDS));
            assertInstanceOf(LoginException.class, e.getCause());
        }
    }
}
