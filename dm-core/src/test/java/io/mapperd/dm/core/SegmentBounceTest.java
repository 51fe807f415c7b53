package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentBounceTest {
    @TempDir
    Path dir;

    @Test
    void aVectoredBioForATableOfSingleBufferTargetsGoesThroughOneBuffer() throws Exception {
        Path f = TestFiles.sized(dir, "f.img", 1 << 20);
        try (DeviceMapper dm = new DeviceMapper()) {
            MappedDevice lin = dm.create("lin", null, "0 2048 linear " + f + " 0", false);
            assertTrue(lin.acceptsSegments(), "linear over a file takes vectored bios");
            MappedDevice md = dm.create("d", null, "0 2048 delay " + f + " 0 0", false);
            assertFalse(md.acceptsSegments(), "delay maps single buffers only");
            ByteBuffer all = TestFiles.pattern(24 * 512, 4);
            md.submit(Bio.writev(16, 0, all.slice(0, 512), all.slice(512, 15 * 512), all.slice(16 * 512, 8 * 512))).join();
            assertEquals(all, TestFiles.readFile(f, 16 * 512, 24 * 512));
            ByteBuffer back = ByteBuffer.allocateDirect(24 * 512);
            md.submit(Bio.readv(16, back.slice(0, 8 * 512), back.slice(8 * 512, 16 * 512))).join();
            assertEquals(all, back);
        }
    }
}
