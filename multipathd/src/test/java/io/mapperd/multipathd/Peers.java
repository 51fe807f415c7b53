package io.mapperd.multipathd;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Real programs the tests drive: present, or skipped with a reason (a failure when CI=true). */
public final class Peers {
    private Peers() {
    }

    /** The path of {@code program} in {@code dirs} (or on PATH when none are given), after checking it is installed. */
    public static Path require(String program, String... dirs) {
        if (dirs.length == 0) {
            dirs = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(":");
        }
        for (String d : dirs) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        need(false, program + " is not installed (looked in " + String.join(", ", dirs) + ")");
        return null;
    }

    public static void requireRoot(String why) {
        need("root".equals(System.getProperty("user.name")), "not running as root: cannot " + why);
    }

    /** Goes on when {@code available}; else skips the test with {@code why}, or fails it under CI=true. */
    public static void need(boolean available, String why) {
        if (available) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI=true needs it");
        }
        Assumptions.abort(why);
    }

    /** What a finished program printed and returned. */
    public record Result(String out, String err, int rc) {
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish in 60 s");
        }
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8), p.exitValue());
    }
}
