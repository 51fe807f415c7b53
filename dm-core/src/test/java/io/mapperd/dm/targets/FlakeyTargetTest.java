package io.mapperd.dm.targets;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlakeyTargetTest extends TargetBenchFixture {
    /** REQ_FUA in the kernel's bi_opf (Linux 6.1). */
    private static final long REQ_FUA = 1L << 17;

    Path a;
    ByteBuffer original;

    @BeforeEach
    void createFiles() throws Exception {
        a = bench.file("a.img", 1 << 20);
        original = TargetBench.pattern(1 << 20, 1);
        TargetBench.writeFile(a, 0, original);
    }

    private ByteBuffer fileAt(long sector, int bytes) throws Exception {
        return TargetBench.fileBytes(a, sector * 512, bytes);
    }

    private ByteBuffer originalAt(long sector, int bytes) {
        return original.slice((int) sector * 512, bytes);
    }

    @Test
    void whileUpItMapsLikeLinearFromTheOffset() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 64 1 0");
        assertEquals(originalAt(64, 8192), TargetBench.read(md, 0, 8192));
        ByteBuffer data = TargetBench.pattern(8192, 2);
        TargetBench.write(md, 100, data);
        assertEquals(data, fileAt(164, 8192));
    }

    @Test
    void whileDownWithoutFeaturesEveryBioFailsAndNothingIsWritten() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1");
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.read(0, ByteBuffer.allocateDirect(4096)))));
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.write(0, TargetBench.pattern(4096, 3), 0))));
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.flush())));
        assertEquals(originalAt(0, 4096), fileAt(0, 4096));
    }

    @Test
    void upAndDownIntervalsAlternate() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 1 1");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> md.submit(Bio.read(0, ByteBuffer.allocateDirect(512))).isCompletedExceptionally());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !failedNow(md.submit(Bio.read(0, ByteBuffer.allocateDirect(512)))));
    }

    private static boolean failedNow(CompletableFuture<Void> f) {
        try {
            f.join();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Test
    void dropWritesCompletesWritesWithoutWritingAndReadsPass() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 1 drop_writes");
        TargetBench.write(md, 8, TargetBench.pattern(4096, 4));
        assertEquals(originalAt(8, 4096), fileAt(8, 4096));
        assertEquals(originalAt(8, 4096), TargetBench.read(md, 8, 4096));
    }

    @Test
    void errorWritesFailsWritesAndReadsPass() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 1 error_writes");
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.write(8, TargetBench.pattern(4096, 4), 0))));
        assertEquals(originalAt(8, 4096), fileAt(8, 4096));
        assertEquals(originalAt(8, 4096), TargetBench.read(md, 8, 4096));
    }

    @Test
    void errorReadsFailsReadsAndWritesPass() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 1 error_reads");
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.read(8, ByteBuffer.allocateDirect(4096)))));
        ByteBuffer data = TargetBench.pattern(4096, 5);
        TargetBench.write(md, 8, data);
        assertEquals(data, fileAt(8, 4096));
    }

    @Test
    void corruptBioByteOnReadsChangesTheNthByteOfWhatIsReadNotTheDevice() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 5 corrupt_bio_byte 3 r 7 0");
        ByteBuffer got = TargetBench.read(md, 8, 4096);
        ByteBuffer expected = ByteBuffer.allocate(4096).put(originalAt(8, 4096)).put(2, (byte) 7).flip();
        assertEquals(expected, got);
        assertEquals(originalAt(8, 4096), fileAt(8, 4096));
    }

    @Test
    void corruptBioByteOnWritesChangesWhatLandsButNotTheCallersBuffer() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 5 corrupt_bio_byte 1 w 255 0");
        ByteBuffer data = TargetBench.pattern(4096, 6);
        md.submit(Bio.write(8, data, 0)).join();
        assertEquals(TargetBench.pattern(4096, 6), data, "the caller's buffer is untouched");
        ByteBuffer expected = ByteBuffer.allocate(4096).put(data.duplicate()).put(0, (byte) 255).flip();
        assertEquals(expected, fileAt(8, 4096));
        // reads are not corrupted and do not fail
        assertEquals(expected, TargetBench.read(md, 8, 4096));
    }

    @Test
    void corruptBioByteOnlyTouchesBiosWithAllTheGivenFlags() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 5 corrupt_bio_byte 1 w 0 " + REQ_FUA);
        ByteBuffer plain = TargetBench.pattern(512, 7);
        md.submit(Bio.write(8, plain, 0)).join();
        assertEquals(plain, fileAt(8, 512));
        ByteBuffer fua = TargetBench.pattern(512, 8);
        md.submit(Bio.write(9, fua, Bio.FUA)).join();
        assertEquals(ByteBuffer.allocate(512).put(fua.duplicate()).put(0, (byte) 0).flip(), fileAt(9, 512));
    }

    @Test
    void randomReadCorruptChangesAtMostOneByteOfEachRead() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 2 random_read_corrupt 1000000000");
        int changedReads = 0;
        for (int i = 0; i < 20; i++) {
            int diff = differingBytes(originalAt(16, 4096), TargetBench.read(md, 16, 4096));
            assertTrue(diff <= 1, "at most one byte differs, got " + diff);
            changedReads += diff;
        }
        assertTrue(changedReads > 0, "with probability 1 some read is corrupted");
        assertEquals(originalAt(16, 4096), fileAt(16, 4096));
    }

    @Test
    void randomWriteCorruptChangesAtMostOneByteOfWhatLands() throws Exception {
        MappedDevice md = bench.create("f", "0 1024 flakey " + a + " 0 0 1 2 random_write_corrupt 1000000000");
        int changedWrites = 0;
        for (int i = 0; i < 20; i++) {
            ByteBuffer data = TargetBench.pattern(4096, 20 + i);
            TargetBench.write(md, 16, data);
            int diff = differingBytes(data, fileAt(16, 4096));
            assertTrue(diff <= 1, "at most one byte differs, got " + diff);
            changedWrites += diff;
        }
        assertTrue(changedWrites > 0, "with probability 1 some write is corrupted");
    }

    private static int differingBytes(ByteBuffer x, ByteBuffer y) {
        int n = 0;
        for (int i = 0; i < x.remaining(); i++) {
            if (x.get(x.position() + i) != y.get(y.position() + i)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void tableLinesAreTheKernelsWithTheirTrailingSpaceAndStatusIsEmpty() throws Exception {
        assertEquals("0 1024 flakey 7:0 0 5 5 0 ", table("0 1024 flakey " + a + " 0 5 5"));
        assertEquals("0 1024 flakey 7:0 8 1 2 1 drop_writes ", table("0 1024 flakey " + a + " 8 1 2 1 drop_writes"));
        assertEquals("0 1024 flakey 7:0 0 1 2 1 error_writes ", table("0 1024 flakey " + a + " 0 1 2 1 error_writes"));
        assertEquals("0 1024 flakey 7:0 0 1 2 6 drop_writes corrupt_bio_byte 32 r 1 0 ",
                table("0 1024 flakey " + a + " 0 1 2 6 corrupt_bio_byte 32 r 1 0 drop_writes"));
        assertEquals("0 1024 flakey 7:0 0 1 2 3 error_reads random_write_corrupt 9 ",
                table("0 1024 flakey " + a + " 0 1 2 3 random_write_corrupt 9 error_reads"));
        assertEquals("0 1024 flakey 7:0 0 1 2 3 error_writes random_read_corrupt 5 ",
                table("0 1024 flakey " + a + " 0 1 2 3 random_read_corrupt 5 error_writes"));
    }

    private String table(String t) throws Exception {
        MappedDevice md = bench.create("t", t);
        try {
            assertEquals(List.of("0 1024 flakey"), md.activeTable().lines(StatusType.INFO));
            return md.activeTable().lines(StatusType.TABLE).getFirst();
        } finally {
            bench.dm.remove("t", false, false);
        }
    }

    @Test
    void everyConstructorRuleIsEnforcedWithTheKernelsWords() throws Exception {
        String f = "0 1024 flakey " + a + " 0 ";
        assertRejected("0 1024 flakey " + a + " 0 1", "Invalid argument count");
        assertRejected("0 1024 flakey " + a + " x 1 1", "Invalid device sector");
        assertRejected(f + "-1 1", "Invalid up interval");
        assertRejected(f + "1 4294967296", "Invalid up interval"); // 6.1 words for a bad down interval
        assertRejected(f + "0 0", "Total (up + down) interval is zero");
        assertRejected(f + "2147483648 2147483648", "Total (up + down) interval is zero");
        assertRejected(f + "4294967295 2", "Interval overflow");
        assertRejected(f + "1 1 12 drop_writes", "Invalid number of feature args");
        assertRejected(f + "1 1 2 drop_writes", "Invalid number of feature args");
        assertRejected(f + "1 1 x", "Invalid number of feature args");
        assertRejected(f + "1 1 1 fast_reads", "Unrecognised flakey feature requested");
        assertRejected(f + "1 1 2 drop_writes drop_writes", "Feature drop_writes duplicated");
        assertRejected(f + "1 1 2 error_writes error_writes", "Feature error_writes duplicated");
        assertRejected(f + "1 1 2 error_reads error_reads", "Feature error_reads duplicated");
        assertRejected(f + "1 1 2 error_writes drop_writes", "Feature drop_writes conflicts with feature error_writes");
        assertRejected(f + "1 1 2 drop_writes error_writes", "Feature error_writes conflicts with feature drop_writes");
        assertRejected(f + "1 1 1 corrupt_bio_byte", "Feature corrupt_bio_byte requires parameters");
        assertRejected(f + "1 1 5 corrupt_bio_byte 0 r 1 0", "Invalid corrupt bio byte");
        assertRejected(f + "1 1 5 corrupt_bio_byte 1 x 1 0", "Invalid corrupt bio direction (r or w)");
        assertRejected(f + "1 1 5 corrupt_bio_byte 1 r 256 0", "Invalid corrupt value to write into bio byte (0-255)");
        assertRejected(f + "1 1 5 corrupt_bio_byte 1 r 1 z", "Invalid corrupt bio flags mask");
        assertRejected(f + "1 1 6 drop_writes corrupt_bio_byte 1 w 1 0",
                "drop_writes is incompatible with corrupt_bio_byte with the WRITE flag set");
        assertRejected(f + "1 1 6 error_writes corrupt_bio_byte 1 w 1 0",
                "error_writes is incompatible with corrupt_bio_byte with the WRITE flag set");
        assertRejected(f + "1 1 1 random_read_corrupt", "Feature random_read_corrupt requires a parameter");
        assertRejected(f + "1 1 1 random_write_corrupt", "Feature random_write_corrupt requires a parameter");
        assertRejected(f + "1 1 2 random_read_corrupt 1000000001", "Invalid random corrupt argument");
        assertRejected(f + "1 1 4 random_read_corrupt 1 random_read_corrupt 2", "Feature random_read_corrupt duplicated");
        assertRejected(f + "1 1 4 random_write_corrupt 1 random_write_corrupt 2", "Feature random_write_corrupt duplicated");
        assertRejected(f + "1 1 3 drop_writes random_write_corrupt 5",
                "drop_writes is incompatible with random_write_corrupt or corrupt_bio_byte with the WRITE flag set");
        assertRejected(f + "1 1 3 error_writes random_write_corrupt 5",
                "error_writes is incompatible with random_write_corrupt or corrupt_bio_byte with the WRITE flag set");
        assertRejected(f + "1 1 3 error_reads random_read_corrupt 5",
                "error_reads is incompatible with random_read_corrupt or corrupt_bio_byte with the READ flag set");
        assertRejected(f + "1 1 6 error_reads corrupt_bio_byte 1 r 1 0",
                "error_reads is incompatible with random_read_corrupt or corrupt_bio_byte with the READ flag set");
        assertRejectedNoDevice("0 1024 flakey " + dir.resolve("gone.img") + " 0 1 1", "Device lookup failed");
    }

    private void assertRejected(String table, String words) throws Exception {
        assertEquals("253:0: flakey: " + words + " (-EINVAL)", bench.rejected(a, table));
    }

    private void assertRejectedNoDevice(String table, String words) throws Exception {
        assertEquals("253:0: flakey: " + words + " (-ENODEV)", bench.rejected(a, table));
    }
}
