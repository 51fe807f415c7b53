package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real ext4 file system on an export: nbdfuse exposes it as a file, a loop device sits on that,
 * mkfs/mount/write/umount, fsck clean, remount and read back. Skipped (with the reason) where the
 * kernel refuses FUSE, loop devices or mounts; missing tools fail under CI=true.
 */
class FileSystemTest {
    private static final Duration T = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    NbdFixture fx;
    Process fuse;
    String loop;
    Path fuseDir;
    Path mnt;
    boolean mounted;

    @BeforeEach
    void start() throws Exception {
        Tools.require("nbdfuse", "fusermount3", "losetup", "mkfs.ext4", "fsck.ext4", "mount", "umount");
        fx = new NbdFixture(dir);
        fx.linear("fs", 128 << 20, false);
        fuseDir = Files.createDirectory(dir.resolve("fuse"));
        mnt = Files.createDirectory(dir.resolve("mnt"));
    }

    @AfterEach
    void stop() throws Exception {
        if (mounted) {
            Tools.run(T, "umount", mnt.toString());
        }
        if (loop != null) {
            Tools.run(T, "losetup", "-d", loop);
        }
        if (fuse != null) {
            Tools.run(T, "fusermount3", "-u", fuseDir.toString());
            Tools.stop(fuse);
        }
        if (fx != null) {
            fx.close();
        }
    }

    /** Runs a privileged step; if the kernel says no, the test is skipped with its words. */
    private Tools.Result kernelStep(String what, String... cmd) throws Exception {
        Tools.Result r = Tools.run(T, cmd);
        String err = r.err().toLowerCase();
        if (r.exit() != 0 && (err.contains("permission denied") || err.contains("not permitted")
                || err.contains("no such device") || err.contains("cannot find an unused loop device")
                || err.contains("only root"))) {
            Assumptions.abort("the kernel refuses " + what + " here: " + r.err().strip());
        }
        return r.ok(what);
    }

    @Test
    void ext4OnTheExportSurvivesUmountFsckAndRemount() throws Exception {
        fuse = Tools.start(dir.resolve("nbdfuse.log"), List.of("nbdfuse", fuseDir.toString(), fx.uri("fs")));
        Path image = fuseDir.resolve("nbd");
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !fuse.isAlive() || Files.exists(image));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Assumptions.abort("nbdfuse did not mount: " + Files.readString(dir.resolve("nbdfuse.log")));
        }
        if (!fuse.isAlive()) {
            Assumptions.abort("the kernel refuses FUSE here: " + Files.readString(dir.resolve("nbdfuse.log")).strip());
        }
        loop = kernelStep("loop devices", "losetup", "-f", "--show", image.toString()).out().strip();
        Tools.run(T, "mkfs.ext4", "-q", "-F", loop).ok("mkfs.ext4");
        kernelStep("mounts", "mount", loop, mnt.toString());
        mounted = true;
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(mnt.resolve("big.bin"), big);
        Files.createDirectories(mnt.resolve("d/e"));
        for (int i = 0; i < 100; i++) {
            Files.writeString(mnt.resolve("d/e/f" + i + ".txt"), "file " + i + "\n".repeat(i));
        }
        Tools.run(T, "umount", mnt.toString()).ok("umount");
        mounted = false;
        String fsck = Tools.run(T, "fsck.ext4", "-fn", loop).ok("fsck.ext4 -fn").out();
        Tools.run(T, "mount", loop, mnt.toString()).ok("remount");
        mounted = true;
        assertEquals(java.util.Arrays.hashCode(big), java.util.Arrays.hashCode(Files.readAllBytes(mnt.resolve("big.bin"))), fsck);
        for (int i = 0; i < 100; i++) {
            assertEquals("file " + i + "\n".repeat(i), Files.readString(mnt.resolve("d/e/f" + i + ".txt")));
        }
    }
}
