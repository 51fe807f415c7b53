package io.mapperd.multipathd;

import io.mapperd.multipathd.engine.Engine;
import io.mapperd.multipathd.view.MapView;
import io.mapperd.sim.iscsi.IscsiTargetSim;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.sim.nvme.NvmeSimConfig;
import io.mapperd.sim.nvme.NvmeTarget;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * `mapperd demo`: the demo SAN on loopback. target-sim serves two LUNs (64 and 32 MiB, files in a
 * temporary directory) over four iSCSI portals, 127.0.0.1:3260-3263, in two ALUA port groups, and
 * one NVMe/TCP namespace over two ports, 127.0.0.1:8009-8010, in two ANA states; the daemon runs
 * on conf/examples/demo.conf (or -c FILE), discovers the ten paths, builds three
 * multipath maps and checks them; every map is an NBD export (127.0.0.1:10809). It prints the topology and what to try, and runs until Ctrl-C,
 * which stops everything and removes the files.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    public static final String TARGET = "iqn.2026-11.io.mapperd:sim:array";
    public static final String CONTROL = "127.0.0.1:3270";
    public static final int FIRST_PORT = 3260;
    public static final String NVME_NQN = "nqn.2026-11.io.mapperd:sim:nvme1";
    public static final int NVME_FIRST_PORT = 8009;

    private Demo() {
    }

    public static int run(DaemonOptions options) throws IOException, InterruptedException {
        Path conf = options.configFile().orElseGet(Demo::exampleConfig);
        if (!Files.isReadable(conf)) {
            System.err.println("mapperd demo: cannot find conf/examples/demo.conf (run from the repository, or give -c FILE)");
            return 1;
        }
        Path dir = Files.createTempDirectory("mapperd-demo-");
        IscsiTargetSim sim;
        try {
            sim = IscsiTargetSim.start(simConfig(dir, FIRST_PORT, CONTROL));
        } catch (IOException | RuntimeException e) {
            System.err.println("mapperd demo: cannot start target-sim on 127.0.0.1:" + FIRST_PORT + "-" + (FIRST_PORT + 3)
                    + " (control " + CONTROL + "): " + e.getMessage() + " (is another demo or an iSCSI target running?)");
            deleteTree(dir);
            return 1;
        }
        NvmeTarget nvme;
        try {
            nvme = NvmeTarget.start(nvmeConfig(dir, NVME_FIRST_PORT));
        } catch (IOException | RuntimeException e) {
            System.err.println("mapperd demo: cannot start the NVMe/TCP target on 127.0.0.1:" + NVME_FIRST_PORT + "-"
                    + (NVME_FIRST_PORT + 1) + ": " + e.getMessage());
            sim.close();
            deleteTree(dir);
            return 1;
        }
        DaemonOptions withConf = new DaemonOptions(Optional.of(conf), options.sockets(), options.sysfsRoot(), options.adminGid(),
                options.nbd(), options.console(), options.consoleBaud(), options.metrics());
        Daemon daemon = new Daemon(withConf).stateDir(dir.resolve("state"));
        try {
            daemon.start();
        } catch (RuntimeException e) {
            System.err.println("mapperd demo: " + e.getMessage());
            sim.close();
            nvme.close();
            deleteTree(dir);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mapperd-demo-shutdown").unstarted(() -> {
            daemon.close();
            sim.close();
            nvme.close();
            deleteTree(dir);
        }));
        Engine engine = daemon.engine().orElseThrow();
        waitForMaps(engine, 3, 10, 30);
        String sock = options.sockets().getFirst().toString();
        String env = sock.equals(io.mapperd.multipathd.control.ControlAddress.DEFAULT.spec()) ? "" : "MAPPERD_SOCKET=" + sock + " ";
        PrintStream out = System.out;
        out.println();
        out.println("mapperd demo: target-sim serves " + TARGET + " on 127.0.0.1:" + FIRST_PORT + "-" + (FIRST_PORT + 3)
                + " (ALUA group 1 active/optimized: :3260 :3261; group 2 active/non-optimized: :3262 :3263)");
        out.println("target-sim serves " + NVME_NQN + " namespace 1 over NVMe/TCP on 127.0.0.1:" + NVME_FIRST_PORT + " (ANA optimized) and :"
                + (NVME_FIRST_PORT + 1) + " (ANA non-optimized)");
        out.println("configuration " + conf + ", files in " + dir);
        out.println();
        out.print(daemon.commands().handle("show topology", io.mapperd.multipathd.control.Peer.self()));
        out.println();
        out.println("Try:");
        out.println("  " + env + "bin/multipathd show topology            # the maps as multipath -ll prints them");
        out.println("  " + env + "bin/multipathd show paths");
        out.println("  ./mapperd sim ctl --control " + CONTROL + " fault 127.0.0.1:3260 down   # lose a portal; its paths fail");
        out.println("  ./mapperd sim ctl --control " + CONTROL + " fault 127.0.0.1:3260 up     # and back: reinstated, failback");
        out.println("  ./mapperd sim ctl --control " + CONTROL + " alua 1 standby               # change an ALUA state");
        out.println("  " + env + "bin/dmsetup table; " + env + "bin/dmsetup status      # the live multipath tables");
        if (daemon.nbd() != null) {
            String nbd = "nbd://" + options.nbd().orElseThrow().address() + ":" + daemon.nbd().boundPort();
            out.println("  nbdinfo --list " + nbd + "                 # every map is an NBD export");
            out.println("  qemu-io -f raw " + nbd + "/demo-iscsi -c 'write -P 0xab 0 1M' -c 'read -P 0xab 0 1M'   # I/O through the paths");
        }
        if (options.metrics().enabled()) {
            out.println("  curl -s http://" + options.metrics().host() + ":" + options.metrics().port()
                    + "/metrics | grep ^mapperd_       # Prometheus metrics (grafana/ has the dashboards)");
        }
        out.println("Ctrl-C stops the demo.");
        out.flush();
        daemon.awaitStop();
        return 0;
    }

    /** Two LUNs behind four portals from {@code firstPort} on, two ALUA groups, CHAP demo/demo-secret-123. */
    public static SimConfig simConfig(Path dir, int firstPort, String control) {
        return new SimConfig(
                List.of(new SimConfig.TargetSpec(TARGET, List.of(
                        new SimConfig.LunSpec(0, dir.resolve("lun0.img").toString(), 64L << 20, 512, "DEMO0000",
                                "0x6001405d3a0000000000000000000001"),
                        new SimConfig.LunSpec(1, dir.resolve("lun1.img").toString(), 32L << 20, 512, "DEMO0001",
                                "0x6001405d3a0000000000000000000002")),
                        "demo", "demo-secret-123", null, null)),
                List.of(new SimConfig.PortalSpec("127.0.0.1", firstPort, 1), new SimConfig.PortalSpec("127.0.0.1", firstPort + 1, 1),
                        new SimConfig.PortalSpec("127.0.0.1", firstPort + 2, 2), new SimConfig.PortalSpec("127.0.0.1", firstPort + 3, 2)),
                List.of(new SimConfig.GroupSpec(1, AluaState.ACTIVE_OPTIMIZED, true),
                        new SimConfig.GroupSpec(2, AluaState.ACTIVE_NON_OPTIMIZED, false)),
                SimConfig.AluaMode.BOTH, control);
    }

    /** One namespace (32 MiB, NGUID 6d61...01) of one subsystem over two ports; the second port's ANA group non-optimized. */
    public static NvmeSimConfig nvmeConfig(Path dir, int firstPort) {
        return new NvmeSimConfig(
                List.of(new NvmeSimConfig.Portal(1, "127.0.0.1", firstPort), new NvmeSimConfig.Portal(2, "127.0.0.1", firstPort + 1)),
                List.of(new NvmeSimConfig.Subsystem(NVME_NQN, "DEMONVME0001", "MAPPERD SIM", List.of(1, 2), List.of(
                        new NvmeSimConfig.Namespace(1, dir.resolve("nvme-ns1.img"), 32L << 20, 1,
                                "6d617070657264000000000000000001", "", null)))),
                List.of(new NvmeSimConfig.AnaSetting(2, 1, io.mapperd.transport.nvmetcp.AnaState.NON_OPTIMIZED)),
                NvmeSimConfig.DEFAULT_MAX_H2C_DATA, NvmeSimConfig.DEFAULT_IN_CAPSULE);
    }

    static void waitForMaps(Engine engine, int maps, int paths, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            List<MapView> m = engine.maps();
            if (m.size() >= maps && m.stream().mapToInt(MapView::pathCount).sum() >= paths) {
                return;
            }
            Thread.sleep(200);
        }
        LOG.warn("after {} s: {} maps, {} paths", seconds, engine.maps().size(), engine.paths().size());
    }

    /** conf/examples/demo.conf from the working directory, else beside the build (multipathd/target/../../conf). */
    static Path exampleConfig() {
        Path here = Path.of("conf/examples/demo.conf");
        if (Files.exists(here)) {
            return here;
        }
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                Path c = p.resolve("conf/examples/demo.conf");
                if (Files.exists(c)) {
                    return c;
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot locate the build: {}", e.getMessage());
        }
        return here;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
