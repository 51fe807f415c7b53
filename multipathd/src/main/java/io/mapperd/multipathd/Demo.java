package io.mapperd.multipathd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * `mapperd demo`: the daemon in the foreground on a set-up made of files in a temporary directory:
 * a linear device over a file, a striped one over two files, a zero device and a linear device
 * stacked on the first. Ctrl-C stops it and removes the files.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final long FILE_BYTES = 64L << 20;

    private Demo() {
    }

    public static int run(DaemonOptions options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mapperd-demo-");
        Daemon daemon = new Daemon(options);
        try {
            daemon.start();
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mapperd-demo-shutdown").unstarted(() -> {
            daemon.close();
            deleteTree(dir);
        }));
        try {
            build(daemon.deviceMapper(), dir);
        } catch (DmException | IOException e) {
            LOG.error("demo set-up failed: {}", e.getMessage());
            daemon.close();
            deleteTree(dir);
            return 1;
        }
        String sock = options.sockets().getFirst().toString();
        String env = sock.equals(io.mapperd.multipathd.control.ControlAddress.DEFAULT.spec()) ? "" : "MAPPERD_SOCKET=" + sock + " ";
        LOG.info("demo ready in {}; try: {}bin/dmsetup ls --tree | {}bin/dmsetup table | {}bin/dmsetup info demo-linear | {}bin/multipathd show daemon",
                dir, env, env, env, env);
        if (daemon.nbd() != null) {
            String host = options.nbd().orElseThrow().address();
            LOG.info("every device is an NBD export: nbdinfo --list nbd://{}:{} | qemu-io -f raw nbd://{}:{}/demo-linear -c 'write -P 0xab 0 1M' -c 'read -P 0xab 0 1M'",
                    host, daemon.nbd().boundPort(), host, daemon.nbd().boundPort());
        }
        LOG.info("Ctrl-C stops the demo");
        daemon.awaitStop();
        return 0;
    }

    /** Creates the demo's files and mapped devices. */
    static void build(DeviceMapper dm, Path dir) throws IOException, DmException {
        Path a = file(dir, "a.img");
        Path b = file(dir, "b.img");
        Path c = file(dir, "c.img");
        long sectors = FILE_BYTES / 512;
        create(dm, "demo-linear", "0 " + sectors / 2 + " linear " + a + " 2048");
        create(dm, "demo-striped", "0 " + 2 * (sectors - 2048) + " striped 2 128 " + b + " 2048 " + c + " 2048");
        create(dm, "demo-zero", "0 " + (1L << 21) + " zero");
        create(dm, "demo-stacked", "0 " + sectors / 4 + " linear /dev/mapper/demo-linear " + sectors / 8);
    }

    private static void create(DeviceMapper dm, String name, String table) throws DmException {
        dm.create(name, "", table, false);
        LOG.info("created {}: {}", name, table);
    }

    private static Path file(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(FILE_BYTES);
        }
        return p;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
