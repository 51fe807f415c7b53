package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real peer programs for the NBD tests: find them (fail under CI=true when missing), run them with a deadline. */
final class Tools {
    private Tools() {
    }

    /** Output of a finished program. */
    record Result(int exit, String out, String err) {
        Result ok(String what) {
            Assertions.assertEquals(0, exit, what + " failed (exit " + exit + "):\n" + out + "\n" + err);
            return this;
        }
    }

    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Makes sure {@code program} is on PATH: under CI=true its absence fails the test, otherwise skips it. */
    static void require(String... programs) {
        for (String program : programs) {
            if (find(program) == null) {
                String why = program + " is not installed (Debian: see ../shared/PEERS.md)";
                if (ci()) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
    }

    static Path find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Result run(Duration timeout, String... cmd) throws IOException, InterruptedException {
        return run(timeout, List.of(cmd));
    }

    static Result run(Duration timeout, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nbdtest-out", ".txt");
        Path err = Files.createTempFile("nbdtest-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                Assertions.fail(String.join(" ", cmd) + " did not finish in " + timeout + ":\n"
                        + Files.readString(out) + "\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Process start(Path log, List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
