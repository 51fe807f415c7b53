package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Serves one file as one export in the foreground: {@code FILE EXPORT HOST PORT}. It creates a
 * linear device named EXPORT over the whole of FILE and exports it until killed (benchmarks, manual
 * tests).
 */
public final class NbdServeMain {
    private NbdServeMain() {
    }

    public static void main(String[] args) throws IOException, DmException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: NbdServeMain FILE EXPORT HOST PORT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.exists(file)) {
            System.err.println("NbdServeMain: " + file + ": no such file");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[3]);
        } catch (NumberFormatException e) {
            System.err.println("NbdServeMain: port '" + args[3] + "' is not a number");
            System.exit(2);
            return;
        }
        long sectors = Files.size(file) >>> 9;
        DeviceMapper dm = new DeviceMapper();
        dm.create(args[1], null, "0 " + sectors + " linear " + file.toAbsolutePath() + " 0", false);
        NbdServer server = NbdServer.start(dm, NbdServerConfig.defaults().withAddress(args[2]).withPort(port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            dm.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
