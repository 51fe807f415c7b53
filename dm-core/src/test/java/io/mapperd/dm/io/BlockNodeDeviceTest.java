package io.mapperd.dm.io;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A raw block device node (a loop device over a file, made with the real losetup) as a
 * BlockDevice: its own dev_t and logical block size, O_DIRECT, unaligned buffers bounced.
 */
class BlockNodeDeviceTest {
    @TempDir
    Path dir;
    String loop;

    @AfterEach
    void detach() throws Exception {
        if (loop != null) {
            run("losetup", "-d", loop);
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assertions.assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out.strip());
        }
        return out.strip();
    }

    private String attach(Path file, int blockSize) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/losetup")) && !Files.isExecutable(Path.of("/sbin/losetup"))) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("losetup (util-linux) is missing");
            }
            Assumptions.abort("losetup is missing");
        }
        try {
            return run("losetup", "-f", "--show", "-b", Integer.toString(blockSize), file.toString());
        } catch (IllegalStateException e) {
            // a sandbox without loop devices: the kernel refuses, not our code
            Assumptions.abort("the kernel refuses loop devices here: " + e.getMessage());
            return null;
        }
    }

    @Test
    void loopDeviceIsOpenedDirectWithItsOwnNumberAndBlockSize() throws Exception {
        Path img = TestFiles.sized(dir, "disk.img", 8 << 20);
        loop = attach(img, 4096);
        try (FileBlockDevice dev = FileBlockDevice.open(Path.of(loop), false, new DevT(7, 99), 512)) {
            String sysDev = Files.readString(Path.of("/sys/class/block", Path.of(loop).getFileName().toString(), "dev")).strip();
            assertEquals(sysDev, dev.devT().toString(), "the node's own dev_t, not the file fallback");
            assertTrue(dev.isBlockNode());
            assertTrue(dev.isDirect(), "block nodes are opened with O_DIRECT");
            assertEquals(4096, dev.logicalBlockSize());
            assertEquals((8 << 20) / 512, dev.sizeSectors());
            // aligned direct buffer, and a heap buffer that must be bounced
            ByteBuffer w = TestFiles.pattern(8192, 3);
            dev.submit(Bio.write(16, w, Bio.FUA)).get(10, TimeUnit.SECONDS);
            ByteBuffer heap = ByteBuffer.allocate(8192);
            dev.submit(Bio.read(16, heap)).get(10, TimeUnit.SECONDS);
            assertEquals(w.rewind(), heap.rewind());
        }
        run("losetup", "-d", loop);
        loop = null;
        assertEquals(TestFiles.pattern(8192, 3), TestFiles.readFile(img, 16 * 512, 8192));
    }

    @Test
    void tableOverALoopDeviceShowsItsDevTAndRefusesMisalignedTargets() throws Exception {
        Path img = TestFiles.sized(dir, "disk.img", 8 << 20);
        loop = attach(img, 4096);
        String sysDev = Files.readString(Path.of("/sys/class/block", Path.of(loop).getFileName().toString(), "dev")).strip();
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.create("l", null, "0 8192 linear " + loop + " 8", false);
            assertEquals(List.of("0 8192 linear " + sysDev + " 8"), dm.get("l").activeTable().lines(StatusType.TABLE));
            assertEquals(4096, dm.get("l").logicalBlockSize());
            var e = Assertions.assertThrows(io.mapperd.dm.core.DmException.class,
                    () -> dm.load("l", "0 8191 linear " + loop + " 0", false));
            assertTrue(e.getMessage().contains("not aligned to h/w logical block size 4096"), e.getMessage());
        }
    }
}
