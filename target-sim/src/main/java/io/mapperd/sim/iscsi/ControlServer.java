package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.AluaState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Run-time control of a simulator over a loopback TCP socket, one command per line; the reply ends
 * with a line "ok" or "error: REASON". Commands: {@code show}, {@code alua GROUP STATE},
 * {@code fault PORTAL down|up|reset|hang|delay MS|sense KEY ASC ASCQ|sense off}.
 */
final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final IscsiTargetSim sim;
    private final ServerSocket socket;
    private final Thread acceptor;

    private ControlServer(IscsiTargetSim sim, ServerSocket socket) {
        this.sim = sim;
        this.socket = socket;
        this.acceptor = Thread.ofVirtual().name("sim-control").start(this::accept);
    }

    static ControlServer start(IscsiTargetSim sim, String address) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("control address " + address + " is not HOST:PORT");
        }
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        ServerSocket s = new ServerSocket(port, 8, InetAddress.getByName(host));
        return new ControlServer(sim, s);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                Thread.ofVirtual().start(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket c) {
        try (c; var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    for (String l : run(List.of(line.trim().split("\\s+")))) {
                        out.println(l);
                    }
                    out.println("ok");
                } catch (IllegalArgumentException e) {
                    out.println("error: " + e.getMessage());
                } catch (InterruptedException e) {
                    out.println("error: interrupted");
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("control connection: {}", e.toString());
        }
    }

    List<String> run(List<String> argv) throws InterruptedException {
        switch (argv.get(0)) {
            case "show" -> {
                List<String> lines = new java.util.ArrayList<>();
                for (SimPortal p : sim.portals()) {
                    lines.add(String.format("portal %s relative-port %d group %d %s fault %s connections %d", p.address(),
                            p.relativePort(), p.group().id(), p.group().state().text(), p.fault().describe(), p.connectionCount()));
                }
                return lines;
            }
            case "alua" -> {
                if (argv.size() != 3) {
                    throw new IllegalArgumentException("usage: alua GROUP STATE");
                }
                sim.setGroupState(Integer.parseInt(argv.get(1)), AluaState.parse(argv.get(2)));
                return List.of();
            }
            case "fault" -> {
                if (argv.size() < 3) {
                    throw new IllegalArgumentException("usage: fault PORTAL down|up|reset|hang|delay MS|sense KEY ASC ASCQ");
                }
                sim.fault(argv.get(1), argv.get(2), argv.subList(3, argv.size()));
                return List.of();
            }
            default -> throw new IllegalArgumentException("unknown command '" + argv.get(0) + "' (want show, alua, fault); got "
                    + Arrays.toString(argv.toArray()));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing control socket: {}", e.toString());
        }
        acceptor.interrupt();
    }
}
