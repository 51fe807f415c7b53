package io.mapperd.transport.nvmetcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile "controller" (a scripted socket) sends garbage, wrong lengths, unknown command ids and
 * huge data lengths: the host must fail the connection cleanly and quickly, never crash or hang.
 */
class HostileTargetTest {
    static final NvmeTcpOptions OPTS = NvmeTcpOptions.defaults().withIoQueues(1)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).withConnectTimeout(Duration.ofSeconds(1));

    interface Script {
        void run(DataInputStream in, OutputStream out) throws IOException;
    }

    ServerSocket server;
    Thread serverThread;

    InetSocketAddress serve(Script script) throws IOException {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        serverThread = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    script.run(new DataInputStream(s.getInputStream()), s.getOutputStream());
                    Thread.sleep(3000); // keep the socket open: the host must not wait for us
                } catch (IOException | InterruptedException e) {
                    // the host closed, as it should
                }
            }
        });
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serverThread.join(5000);
    }

    static byte[] readPdu(DataInputStream in) throws IOException {
        byte[] ch = new byte[8];
        in.readFully(ch);
        int plen = ByteBuffer.wrap(ch).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        byte[] all = new byte[plen];
        System.arraycopy(ch, 0, all, 0, 8);
        in.readFully(all, 8, plen - 8);
        return all;
    }

    static byte[] icResp(int cpda, int maxh2c) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 1).put(2, (byte) 128).putInt(4, 128).put(10, (byte) cpda).putInt(12, maxh2c);
        return b.array();
    }

    static byte[] capsuleResp(int cid, int plen) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(24, Math.min(plen, 64))).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 5).put(2, (byte) 24).putInt(4, plen).putShort(20, (short) cid);
        return b.array();
    }

    static int cidOf(byte[] capsule) {
        return ByteBuffer.wrap(capsule).order(ByteOrder.LITTLE_ENDIAN).getShort(8 + 2) & 0xFFFF;
    }

    private void refused(Script script, String expect) throws IOException {
        InetSocketAddress addr = serve(script);
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> NvmeController.connect(addr, "nqn.2024-01.io.mapperd:hostile", OPTS));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(ms < 8000, "took " + ms + " ms");
        assertTrue(String.valueOf(e.getMessage()).contains(expect), "'" + e.getMessage() + "' should say '" + expect + "'");
    }

    @Test
    void garbageInsteadOfIcResp() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            byte[] g = new byte[300];
            new Random(1).nextBytes(g);
            g[0] = 0x66;
            out.write(g);
        }, "unknown PDU type 0x66");
    }

    @Test
    void icRespWithBadParameters() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(40, 4 << 20));
        }, "CPDA 40");
    }

    @Test
    void responseForAnUnknownCommandId() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(0, 4 << 20));
            byte[] connect = readPdu(in);
            out.write(capsuleResp(cidOf(connect) + 17, 24));
        }, "unknown command id");
    }

    @Test
    void responseWithAWrongLength() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(0, 4 << 20));
            byte[] connect = readPdu(in);
            out.write(capsuleResp(cidOf(connect), 64));
        }, "expected 24");
    }

    @Test
    void hugeDataLength() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(0, 4 << 20));
            byte[] connect = readPdu(in);
            ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0, (byte) 7).put(2, (byte) 24).put(3, (byte) 24).putInt(4, 0x7FFF0000).putShort(8, (short) cidOf(connect)).putInt(16, 0x7FFF0000 - 24);
            out.write(b.array());
        }, "limit");
    }

    @Test
    void dataForACommandThatReadsNone() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(0, 4 << 20));
            byte[] connect = readPdu(in);
            ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0, (byte) 7).put(1, (byte) 0x04).put(2, (byte) 24).put(3, (byte) 24).putInt(4, 28).putShort(8, (short) cidOf(connect)).putInt(16, 4);
            out.write(b.array());
        }, "reads no data");
    }

    @Test
    void silenceAfterIcRespTimesOut() throws IOException {
        refused((in, out) -> {
            readPdu(in);
            out.write(icResp(0, 4 << 20));
            readPdu(in);
        }, "timed out");
    }

    @Test
    void nothingAtAll() throws IOException {
        refused((in, out) -> readPdu(in), "ICResp");
    }
}
