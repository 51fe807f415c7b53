package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.export.nbd.NbdServerConfig;
import io.mapperd.dm.io.Bio;
import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.Daemon;
import io.mapperd.multipathd.DaemonOptions;
import io.mapperd.multipathd.control.ControlAddress;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running daemon (metrics and NBD on ephemeral loopback ports) with mapped devices and I/O: a
 * linear and a striped map over files under load, a linear map for an NBD client, and a failover multipath map "mpatha" whose two paths are mapped
 * devices over one file ("mpatha-p0" in group 1, "mpatha-p1" in group 2), as the engine would
 * build over two iSCSI paths. A path fault loads the error target into a path device. The
 * fixture also plays the engine's part for metrics: topology, path checks and checker loops.
 */
final class MetricsFixture implements AutoCloseable {
    static final long SECTORS = 16384;
    static final String MPATH = "mpatha";
    static final List<String> PATHS = List.of("mpatha-p0", "mpatha-p1");

    final Daemon daemon;
    final DeviceMapper dm;
    final FixtureTopology topology;
    private final Path lun;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();

    MetricsFixture(Path dir) throws IOException, DmException {
        DaemonOptions o = new DaemonOptions(Optional.empty(), List.of(new ControlAddress("@/mapperd/test/" + UUID.randomUUID())),
                Optional.empty(), OptionalInt.empty(), Optional.of(NbdServerConfig.defaults().withPort(0)), Optional.empty(),
                DaemonOptions.DEFAULT_CONSOLE_BAUD, new MetricsOptions(true, "127.0.0.1", 0, true));
        daemon = new Daemon(o).start();
        dm = daemon.deviceMapper();
        Path a = file(dir, "a.img");
        Path b = file(dir, "b.img");
        lun = file(dir, "lun.img");
        Path c = file(dir, "c.img");
        dm.create("data-linear", "", "0 " + SECTORS + " linear " + a + " 0", false);
        dm.create("data-striped", "", "0 " + SECTORS + " striped 2 8 " + a + " 0 " + b + " 0", false);
        dm.create("data-export", "", "0 " + SECTORS + " linear " + c + " 0", false);
        for (String p : PATHS) {
            dm.create(p, "", "0 " + SECTORS + " linear " + lun + " 0", false);
        }
        dm.create(MPATH, "mpath-36001405fixture", "0 " + SECTORS + " multipath 1 queue_if_no_path 0 2 1 round-robin 0 1 1 /dev/mapper/"
                + PATHS.get(0) + " 1 round-robin 0 1 1 /dev/mapper/" + PATHS.get(1) + " 1", false);
        topology = new FixtureTopology(dm, MPATH, PATHS);
        daemon.metrics().topology(topology);
        daemon.metrics().policy().configReloaded(true);
        daemon.metrics().refresh();
    }

    private static Path file(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(SECTORS << 9);
        }
        return p;
    }

    /** Mixed 4 KiB reads and writes on every map, and the engine's checker loop, until close. */
    void startLoad() {
        for (String name : List.of("data-linear", "data-striped", MPATH)) {
            MappedDevice md = dm.find(name).orElseThrow();
            workers.add(Thread.ofPlatform().daemon().name("load-" + name).start(() -> load(md)));
        }
        workers.add(Thread.ofPlatform().daemon().name("checker").start(this::checkerLoop));
    }

    private void load(MappedDevice md) {
        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
        while (!stop.get()) {
            long sector = ThreadLocalRandom.current().nextLong(SECTORS >> 3) << 3;
            try {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    md.submit(Bio.write(sector, buf.clear(), 0)).join();
                } else {
                    md.submit(Bio.read(sector, buf.clear())).join();
                }
                Thread.sleep(2);
            } catch (CompletionException e) {
                // a map without paths fails its I/O: keep going
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** What the engine's checker does each pass: a check per path, the verdict from the topology. */
    private void checkerLoop() {
        while (!stop.get()) {
            long loopStart = System.nanoTime();
            for (int i = 0; i < PATHS.size(); i++) {
                long t = System.nanoTime();
                String verdict = topology.checkerState(PATHS.get(i));
                daemon.metrics().policy().pathChecked(MPATH, FixtureTopology.dev(i), verdict,
                        System.nanoTime() - t + 200_000);
            }
            daemon.metrics().policy().checkerLoop(System.nanoTime() - loopStart + 300_000);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Kills path 0: its device now fails all I/O, as a dead transport would; the checker says faulty. */
    void failPath0() throws DmException {
        dm.load(PATHS.get(0), "0 " + SECTORS + " error", false);
        dm.resume(PATHS.get(0));
        topology.checkerState(PATHS.get(0), "faulty");
    }

    /** A real NBD client (qemu-io) writes and reads back 1 MiB of data-export (no other I/O) through the daemon's export. */
    void nbdClient() throws IOException, InterruptedException {
        Path qemuIo = Peers.require("qemu-io", "/usr/bin", "/usr/local/bin");
        String uri = "nbd://127.0.0.1:" + daemon.nbd().boundPort() + "/data-export";
        Peers.Result r = Peers.run(List.of(qemuIo.toString(), "-f", "raw", uri, "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M"));
        if (r.rc() != 0) {
            throw new IOException("qemu-io " + uri + ": " + r.out() + r.err());
        }
    }

    String metricsUrl() {
        var a = daemon.metrics().address().orElseThrow();
        return "http://127.0.0.1:" + a.getPort() + "/metrics";
    }

    String scrape() throws IOException, InterruptedException {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(metricsUrl())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + metricsUrl() + ": " + r.statusCode());
            }
            return r.body();
        }
    }

    @Override
    public void close() {
        stop.set(true);
        for (Thread t : workers) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        daemon.close();
    }
}
