package io.mapperd.sim.nvme;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The control socket of a running simulator: a unix socket (mode 0600) taking one command line
 * per connection and answering with its output, then "OK" or "ERR reason".
 */
final class SimControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimControlServer.class);

    private final NvmeTarget target;
    private final Path path;
    private final ServerSocketChannel server;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    SimControlServer(NvmeTarget target, Path path) throws IOException {
        this.target = target;
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        thread = Thread.ofPlatform().daemon().name("nvme-sim-ctl").start(this::loop);
    }

    private void loop() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                String line = in.readLine();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
                String result;
                try {
                    List<String> words = line == null ? List.of() : Arrays.stream(line.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
                    if (words.equals(List.of("stop"))) {
                        stopped.countDown();
                    } else {
                        NvmeSimCommands.control(target, words, out);
                    }
                    result = "OK";
                } catch (IllegalArgumentException e) {
                    result = "ERR " + e.getMessage();
                }
                out.println(result);
                c.write(java.nio.ByteBuffer.wrap(buf.toByteArray()));
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.debug("control connection: {}", e.getMessage());
                }
            }
        }
    }

    /** Blocks until a "stop" command arrives. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
