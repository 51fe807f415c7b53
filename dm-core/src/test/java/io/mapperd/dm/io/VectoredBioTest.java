package io.mapperd.dm.io;

import io.mapperd.dm.core.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectoredBioTest {
    @TempDir
    Path dir;

    private static ByteBuffer[] split(ByteBuffer all, int... sizes) {
        ByteBuffer[] out = new ByteBuffer[sizes.length];
        int at = all.position();
        for (int i = 0; i < sizes.length; i++) {
            out[i] = all.slice(at, sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    @Test
    void aVectoredBioCountsEveryBufferAndHasNoSingleOne() {
        Bio w = Bio.writev(8, Bio.FUA, ByteBuffer.allocate(1024), ByteBuffer.allocateDirect(512), ByteBuffer.allocate(2048));
        assertTrue(w.vectored());
        assertEquals(7, w.sectors());
        assertEquals(3, w.buffers().length);
        assertTrue(w.has(Bio.FUA));
        assertThrows(IllegalStateException.class, w::data);
        assertEquals(15, w.at(8).endSector());
        Bio one = Bio.readv(0, ByteBuffer.allocate(512));
        assertFalse(one.vectored(), "one buffer makes a plain bio");
        assertEquals(1, one.buffers().length);
        assertThrows(IllegalArgumentException.class, () -> Bio.readv(0));
    }

    @Test
    void aSliceAcrossBufferBoundariesTakesExactlyItsBytes() {
        ByteBuffer all = TestFiles.pattern(8 * 512, 3);
        Bio w = Bio.writev(100, 0, split(all, 512, 3 * 512, 2 * 512, 2 * 512));
        // sectors 1..5: the whole second buffer, then the first sector of the third
        Bio part = w.slice(1, 4, 7);
        assertEquals(7, part.sector());
        ByteBuffer got = ByteBuffer.allocate(4 * 512);
        for (ByteBuffer b : part.buffers()) {
            got.put(b.duplicate());
        }
        assertEquals(all.slice(512, 4 * 512), got.flip());
        Bio inOne = w.slice(5, 1, 0);
        assertFalse(inOne.vectored(), "a slice inside one buffer is a plain bio");
        assertEquals(all.slice(5 * 512, 512), inOne.data());
        assertEquals(0, w.slice(8, 0, 0).bytes());
    }

    @Test
    void vectoredWriteAndReadOnAFileMoveEveryBufferInOrder() throws Exception {
        Path f = TestFiles.sized(dir, "f.img", 1 << 20);
        try (FileBlockDevice dev = FileBlockDevice.open(f, false, new DevT(7, 1), 512)) {
            assertTrue(dev.acceptsSegments());
            ByteBuffer all = TestFiles.pattern(64 * 512, 5);
            dev.submit(Bio.writev(40, 0, split(all, 512, 31 * 512, 16 * 512, 16 * 512))).join();
            assertEquals(all, TestFiles.readFile(f, 40 * 512, 64 * 512));
            ByteBuffer back = ByteBuffer.allocateDirect(64 * 512);
            dev.submit(Bio.readv(40, split(back, 8 * 512, 512, 55 * 512))).join();
            assertEquals(all, back);
            // heap buffers take the one-call-per-buffer way, with the same result
            ByteBuffer heap = ByteBuffer.allocate(64 * 512);
            dev.submit(Bio.readv(40, split(heap, 32 * 512, 32 * 512))).join();
            byte[] a = new byte[64 * 512];
            byte[] b = new byte[64 * 512];
            all.duplicate().get(a);
            heap.duplicate().get(b);
            assertArrayEquals(a, b);
        }
    }
}
