package io.mapperd.dm.export.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A minimal NBD client over a plain socket, for what real clients will not do (hold, misbehave, probe errors). */
final class RawNbdClient implements AutoCloseable {
    /** A simple reply: its error and cookie, and the data for a READ. */
    record Reply(long cookie, int error, byte[] data) {
    }

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    long size;
    int flags;

    RawNbdClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Reads the greeting and checks it. */
    RawNbdClient greeting() throws IOException {
        assertEquals(NbdProtocol.NBDMAGIC, in.readLong());
        assertEquals(NbdProtocol.IHAVEOPT, in.readLong());
        assertEquals(NbdProtocol.FLAG_FIXED_NEWSTYLE | NbdProtocol.FLAG_NO_ZEROES, in.readUnsignedShort());
        return this;
    }

    /** Greeting, client flags, NBD_OPT_GO on {@code export}; returns the final option reply type (ACK or an error). */
    int go(String export) throws IOException {
        greeting();
        out.writeInt(NbdProtocol.FLAG_C_FIXED_NEWSTYLE | NbdProtocol.FLAG_C_NO_ZEROES);
        byte[] n = export.getBytes(StandardCharsets.UTF_8);
        out.writeLong(NbdProtocol.IHAVEOPT);
        out.writeInt(NbdProtocol.OPT_GO);
        out.writeInt(4 + n.length + 2);
        out.writeInt(n.length);
        out.write(n);
        out.writeShort(0);
        out.flush();
        while (true) {
            assertEquals(NbdProtocol.OPTION_REPLY_MAGIC, in.readLong());
            assertEquals(NbdProtocol.OPT_GO, in.readInt());
            int type = in.readInt();
            int len = in.readInt();
            byte[] payload = new byte[len];
            in.readFully(payload);
            if (type == NbdProtocol.REP_INFO && payload[1] == NbdProtocol.INFO_EXPORT) {
                var b = java.nio.ByteBuffer.wrap(payload, 2, 10);
                size = b.getLong();
                flags = b.getShort() & 0xffff;
            }
            if (type != NbdProtocol.REP_INFO) {
                return type;
            }
        }
    }

    void send(int flags, int type, long cookie, long offset, int length, byte[] data) throws IOException {
        out.writeInt(NbdProtocol.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt(length);
        if (data != null) {
            out.write(data);
        }
        out.flush();
    }

    /** Reads one simple reply; {@code readLength} bytes of data follow a successful READ. */
    Reply reply(int readLength) throws IOException {
        assertEquals(NbdProtocol.SIMPLE_REPLY_MAGIC, in.readInt());
        int error = in.readInt();
        long cookie = in.readLong();
        byte[] data = null;
        if (error == 0 && readLength > 0) {
            data = new byte[readLength];
            in.readFully(data);
        }
        return new Reply(cookie, error, data);
    }

    /** True once the server has closed the connection (EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain whatever came before the close
            }
            return true;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
