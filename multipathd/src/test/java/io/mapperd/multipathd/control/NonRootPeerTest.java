package io.mapperd.multipathd.control;

import io.mapperd.multipathd.Peers;
import io.mapperd.multipathd.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/dmsetup's client run as another uid (nobody) against the abstract socket: it reaches the
 * daemon, may read, and is refused state changes with a clear error; root's changes go through.
 */
class NonRootPeerTest {
    @TempDir
    Path dir;
    TestDaemon d;
    Path classpath;

    @BeforeEach
    void start() throws IOException {
        Peers.requireRoot("switch to uid 65534");
        d = new TestDaemon(dir);
        classpath = copyClasspathForNobody(Files.createTempDirectory("mapperd-cp-"));
    }

    @AfterEach
    void stop() throws IOException {
        if (d != null) {
            d.close();
        }
        if (classpath != null) {
            try (Stream<Path> s = Files.walk(classpath)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The test's classpath lives under /root (unreadable to nobody): copy it somewhere world-readable. */
    static Path copyClasspathForNobody(Path to) throws IOException {
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(entry);
            Path dst = to.resolve("e" + i++);
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path q = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(q);
                        } else {
                            Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else if (Files.isRegularFile(src)) {
                Files.copy(src, to.resolve("e" + (i - 1) + ".jar"));
            }
        }
        try (Stream<Path> s = Files.walk(to)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return to;
    }

    Peers.Result dmsetupAsNobody(String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> s = Files.list(classpath)) {
            s.sorted().forEach(p -> cp.add(p.toString()));
        }
        List<String> cmd = new ArrayList<>(List.of(Peers.require("setpriv", "/usr/bin", "/bin").toString(),
                "--reuid=65534", "--regid=65534", "--clear-groups", "env", "MAPPERD_SOCKET=" + d.abstractName.spec(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-Xshare:off", "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, cp),
                "io.mapperd.multipathd.Main", "dmsetup"));
        cmd.addAll(List.of(args));
        return Peers.run(cmd);
    }

    @Test
    void nobodyReadsButCannotCreateOrRemove() throws Exception {
        assertEquals(0, d.dmsetup("create", "kept", "--table", "0 8 zero").rc());

        Peers.Result ls = dmsetupAsNobody("ls");
        assertEquals(new Peers.Result("kept\t(253:0)\n", "", 0), ls);
        Peers.Result table = dmsetupAsNobody("table", "kept");
        assertEquals(new Peers.Result("0 8 zero \n", "", 0), table);
        assertEquals(0, dmsetupAsNobody("info", "-c").rc());

        Peers.Result create = dmsetupAsNobody("create", "x", "--table", "0 8 zero");
        assertEquals(new Peers.Result("", "dmsetup create: permission denied: changing device-mapper state needs root "
                + "(peer uid 65534)\nCommand failed.\n", 1), create);
        Peers.Result remove = dmsetupAsNobody("remove", "kept");
        assertEquals(1, remove.rc());
        assertTrue(remove.err().contains("permission denied"), remove.err());

        assertTrue(d.daemon.deviceMapper().find("kept").isPresent());
        assertTrue(d.daemon.deviceMapper().find("x").isEmpty());
    }
}
