package io.mapperd.multipathd.console;

import com.fazecast.jSerialComm.SerialPort;
import io.mapperd.multipathd.command.CommandProcessor;
import io.mapperd.multipathd.control.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The command language on a serial line (jSerialComm): a prompt like {@code multipathd -k}'s, one
 * command per line, the reply, the prompt again. Whoever is on the console has the machine in
 * hand, so the console may change state (as root on the socket may).
 */
public final class SerialConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialConsole.class);

    private final Path device;
    private final SerialPort port;
    private final ConsoleSession session;
    private volatile boolean closed;
    private Thread reader;

    /** @throws IOException naming the device when it cannot be opened */
    public SerialConsole(Path device, int baud, CommandProcessor commands) throws IOException {
        Path real;
        try {
            real = device.toRealPath();
        } catch (IOException e) {
            throw new IOException("serial console " + device + ": no such device", e);
        }
        this.device = device;
        this.port = SerialPort.getCommPort(real.toString());
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
        if (!port.openPort()) {
            throw new IOException("serial console " + device + " (" + real + "): cannot open it (error "
                    + port.getLastErrorCode() + ")");
        }
        Peer console = Peer.self();
        this.session = new ConsoleSession(line -> commands.handle(line, console));
    }

    public SerialConsole start() {
        send(session.greeting());
        reader = Thread.ofPlatform().daemon().name("serial-console").start(this::run);
        LOG.info("serial console on {} at {} bps", device, port.getBaudRate());
        return this;
    }

    private void run() {
        byte[] buf = new byte[512];
        while (!closed) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                if (!closed) {
                    LOG.warn("serial console {}: read failed (error {}); console closed", device, port.getLastErrorCode());
                }
                return;
            }
            if (n > 0) {
                send(session.input(buf, n));
            }
        }
    }

    private void send(byte[] bytes) {
        int off = 0;
        while (off < bytes.length && !closed) {
            int n = port.writeBytes(bytes, bytes.length - off, off);
            if (n < 0) {
                LOG.warn("serial console {}: write failed (error {})", device, port.getLastErrorCode());
                return;
            }
            off += n;
        }
    }

    @Override
    public void close() {
        closed = true;
        port.closePort();
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
