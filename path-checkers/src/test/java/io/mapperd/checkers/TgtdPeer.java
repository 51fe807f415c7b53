package io.mapperd.checkers;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A tgtd of its own (Debian package tgt; no ALUA) with one file-backed LUN, on an ephemeral
 * loopback port and its own control socket; stopped through tgtadm, then by its PID. Missing tgtd
 * skips the test, or fails it under CI=true.
 */
public final class TgtdPeer implements AutoCloseable {
    public static final String IQN = "iqn.2026-01.io.mapperd.test:plugins";

    public final int port;
    private final int control;
    private final Process process;
    private final Path log;

    private TgtdPeer(int port, int control, Process process, Path log) {
        this.port = port;
        this.control = control;
        this.process = process;
        this.log = log;
    }

    public static String require(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String msg = program + " is not installed (Debian package tgt)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    public static TgtdPeer start(Path dir) throws Exception {
        String tgtd = require("tgtd");
        require("tgtadm");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int control;
        do {
            control = 2000 + ThreadLocalRandom.current().nextInt(30000);
        } while (Files.exists(Path.of("/var/run/tgtd/socket." + control)));
        Path log = dir.resolve("tgtd-" + control + ".log");
        Process p = new ProcessBuilder(tgtd, "-f", "-C", Integer.toString(control), "--iscsi", "portal=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TgtdPeer t = new TgtdPeer(port, control, p, log);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (run("tgtadm", "-C", Integer.toString(control), "--op", "show", "--mode", "system") != 0) {
            if (!p.isAlive() || System.nanoTime() > end) {
                t.close();
                throw new AssertionError("tgtd did not come up on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        Path img = dir.resolve("tgtd-lun1.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16 << 20);
        }
        t.adm("--op", "new", "--mode", "target", "--tid", "1", "-T", IQN);
        t.adm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", img.toString());
        t.adm("--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL");
        return t;
    }

    public String url() {
        return "iscsi://127.0.0.1:" + port + "/" + IQN + "/1";
    }

    public void adm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tgtadm", "-C", Integer.toString(control), "--lld", "iscsi"));
        cmd.addAll(List.of(args));
        if (run(cmd.toArray(String[]::new)) != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed; tgtd log:\n" + Files.readString(log));
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return p.exitValue();
    }

    @Override
    public void close() throws Exception {
        String c = Integer.toString(control);
        run("tgtadm", "-C", c, "--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", "1", "--force");
        run("tgtadm", "-C", c, "--op", "delete", "--mode", "system");
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
