package io.mapperd.transport.iscsi;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

/** Real peer programs for tests: missing ones skip the test, except under CI=true where they fail it. */
public final class Peers {
    private Peers() {
    }

    public static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    public static String require(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin")) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String msg = program + " is not installed (Debian packages tgt, libiscsi-bin, tshark)";
        if (ci()) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a program to completion, returning rc and output (stdout and stderr merged). */
    public static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            var buf = new java.io.ByteArrayOutputStream();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    in.transferTo(buf);
                } catch (IOException ignored) {
                    // the process went away
                }
            });
            if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                t.join(2000);
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s; output so far:\n" + buf);
            }
            t.join(5000);
            out = buf.toByteArray();
        }
        return new Result(p.exitValue(), new String(out));
    }

    public record Result(int rc, String output) {
        public Result ok(List<String> cmd) {
            if (rc != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed with rc " + rc + ":\n" + output);
            }
            return this;
        }
    }
}
