package io.mapperd.transport.iscsi;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A tgtd of its own for a test class: its own control socket (-C N) and an ephemeral port, stopped
 * with tgtadm (SIGTERM alone does not stop it) and then by its PID.
 */
public final class Tgtd implements AutoCloseable {
    public final int port;
    public final int control;
    private final Process process;
    private final List<Integer> tids = new ArrayList<>();
    private final Path log;

    private Tgtd(int port, int control, Process process, Path log) {
        this.port = port;
        this.control = control;
        this.process = process;
        this.log = log;
    }

    public static Tgtd start(Path dir) throws Exception {
        String tgtd = Peers.require("tgtd");
        Peers.require("tgtadm");
        int port = Peers.freePort();
        int control;
        do {
            control = 2000 + ThreadLocalRandom.current().nextInt(30000);
        } while (Files.exists(Path.of("/var/run/tgtd/socket." + control)));
        Path log = dir.resolve("tgtd-" + control + ".log");
        Process p = new ProcessBuilder(tgtd, "-f", "-C", Integer.toString(control), "--iscsi",
                "portal=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Tgtd t = new Tgtd(port, control, p, log);
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Peers.Result r = Peers.run(List.of("tgtadm", "-C", Integer.toString(control), "--op", "show", "--mode", "system"), 10);
            if (r.rc() == 0) {
                break;
            }
            if (!p.isAlive() || System.nanoTime() > end) {
                t.close();
                throw new AssertionError("tgtd did not come up on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return t;
    }

    public Peers.Result adm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(control), "--lld", "iscsi"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd, 20).ok(cmd);
    }

    /** A target with one file-backed LUN 1, open to every initiator. */
    public void target(int tid, String iqn, Path backing, long bytes) throws Exception {
        if (!Files.exists(backing)) {
            try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
                f.setLength(bytes);
            }
        }
        adm("--op", "new", "--mode", "target", "--tid", Integer.toString(tid), "-T", iqn);
        tids.add(tid);
        adm("--op", "new", "--mode", "logicalunit", "--tid", Integer.toString(tid), "--lun", "1", "-b", backing.toString());
        adm("--op", "bind", "--mode", "target", "--tid", Integer.toString(tid), "-I", "ALL");
    }

    public void portal(String hostPort) throws Exception {
        adm("--op", "new", "--mode", "portal", "--param", "portal=" + hostPort);
    }

    public void chap(int tid, String user, String password, boolean outgoing) throws Exception {
        adm("--op", "new", "--mode", "account", "--user", user, "--password", password);
        List<String> a = new ArrayList<>(List.of("--op", "bind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user));
        if (outgoing) {
            a.add("--outgoing");
        }
        adm(a.toArray(String[]::new));
    }

    public String url(String iqn, int lun) {
        return "iscsi://127.0.0.1:" + port + "/" + iqn + "/" + lun;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        String c = Integer.toString(control);
        for (int tid : tids) {
            Peers.run(List.of("tgtadm", "-C", c, "--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid",
                    Integer.toString(tid), "--force"), 10);
        }
        Peers.run(List.of("tgtadm", "-C", c, "--op", "delete", "--mode", "system"), 10);
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
