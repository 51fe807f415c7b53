package io.mapperd.dm.targets;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripedTargetTest extends ThreeFilesFixture {
    /** Chunk n of the target is on stripe n mod k, at chunk n / k of that stripe. */
    @ParameterizedTest(name = "{0} stripes, chunk {1}")
    @CsvSource({"3, 8", "2, 128", "3, 12", "1, 16"})
    void everyChunkLandsOnItsStripe(int k, int chunk) throws Exception {
        Path[] files = {a, b, c};
        long[] offsets = {0, 16, 8};
        long length = (long) k * chunk * (960 / (k * chunk));
        StringBuilder t = new StringBuilder("0 " + length + " striped " + k + " " + chunk);
        for (int i = 0; i < k; i++) {
            t.append(' ').append(files[i]).append(' ').append(offsets[i]);
        }
        MappedDevice md = bench.create("s", t.toString());
        ByteBuffer data = TargetBench.pattern((int) length * 512, k * 100 + chunk);
        TargetBench.write(md, 0, data);
        for (long n = 0; n < length / chunk; n++) {
            int stripe = (int) (n % k);
            long onStripe = (n / k) * chunk + offsets[stripe];
            ByteBuffer expected = data.slice((int) (n * chunk * 512), chunk * 512);
            assertEquals(expected, TargetBench.fileBytes(files[stripe], onStripe * 512, chunk * 512), "chunk " + n);
        }
        assertEquals(data, TargetBench.read(md, 0, (int) length * 512).rewind());
    }

    @Test
    void anUnalignedIoAcrossChunksIsSplitAtChunkBoundaries() throws Exception {
        MappedDevice md = bench.create("s", "0 1536 striped 2 8 " + a + " 0 " + b + " 0");
        ByteBuffer data = TargetBench.pattern(20 * 512, 9);
        TargetBench.write(md, 5, data); // sectors 5..24: a[5..7], b[0..7], a[8..15], b[8]
        assertEquals(data.slice(0, 3 * 512), TargetBench.fileBytes(a, 5 * 512, 3 * 512));
        assertEquals(data.slice(3 * 512, 8 * 512), TargetBench.fileBytes(b, 0, 8 * 512));
        assertEquals(data.slice(11 * 512, 8 * 512), TargetBench.fileBytes(a, 8 * 512, 8 * 512));
        assertEquals(data.slice(19 * 512, 512), TargetBench.fileBytes(b, 8 * 512, 512));
        assertEquals(data, TargetBench.read(md, 5, 20 * 512).rewind());
    }

    @Test
    void writeZeroesAndDiscardAreCutIntoOneRangePerStripe() throws Exception {
        MappedDevice md = bench.create("s", "0 1536 striped 3 8 " + a + " 0 " + b + " 0 " + c + " 0");
        ByteBuffer data = TargetBench.pattern(1536 * 512, 4);
        TargetBench.write(md, 0, data);
        md.submit(Bio.writeZeroes(5, 30L * 512, 0)).join();   // device 5..34
        md.submit(Bio.discard(100, 40L * 512)).join();        // device 100..139
        ByteBuffer back = TargetBench.read(md, 0, 1536 * 512);
        for (int s = 0; s < 1536; s++) {
            boolean cleared = (s >= 5 && s < 35) || (s >= 100 && s < 140);
            ByteBuffer expected = cleared ? TargetBench.zeroes(512) : data.slice(s * 512, 512);
            assertEquals(expected, back.slice(s * 512, 512), "sector " + s);
        }
        // device 5..34 is chunks 0..4: a gets 5..7 and 8..15 (chunk 3), b 0..7, c 0..7, b 8..10 (chunk 4)
        assertEquals(TargetBench.zeroes(11 * 512), TargetBench.fileBytes(a, 5 * 512, 11 * 512));
        assertEquals(data.slice(48 * 512, 512), TargetBench.fileBytes(a, 16 * 512, 512)); // chunk 6, untouched
        assertEquals(TargetBench.zeroes(11 * 512), TargetBench.fileBytes(b, 0, 11 * 512));
        assertEquals(TargetBench.zeroes(8 * 512), TargetBench.fileBytes(c, 0, 8 * 512));
    }

    @Test
    void aFlushGoesToEveryStripeAndPreflushFlushesThemAllBeforeTheWrite() throws Exception {
        TargetBench.CountingFiles counted = new TargetBench.CountingFiles();
        bench.dm.addProvider(counted);
        MappedDevice md = bench.create("s", "0 1536 striped 3 8 counted://" + a + " 0 counted://" + b + " 0 counted://" + c + " 0");
        md.submit(Bio.flush()).join();
        for (Path p : List.of(a, b, c)) {
            assertEquals(1, counted.count(p, BioOp.FLUSH), p.toString());
        }
        md.submit(Bio.write(0, TargetBench.pattern(4096, 1), Bio.PREFLUSH)).join();
        for (Path p : List.of(a, b, c)) {
            assertEquals(2, counted.count(p, BioOp.FLUSH), p.toString());
        }
        assertEquals(1, counted.count(a, BioOp.WRITE));
        assertEquals(0, counted.count(b, BioOp.WRITE));
    }

    @Test
    void aBioOverManyChunksIsOneVectoredBioPerStripe() throws Exception {
        TargetBench.CountingFiles counted = new TargetBench.CountingFiles();
        bench.dm.addProvider(counted);
        MappedDevice md = bench.create("s", "0 1536 striped 3 8 counted://" + a + " 0 counted://" + b + " 16 counted://" + c + " 8");
        Path[] files = {a, b, c};
        long[] offsets = {0, 16, 8};
        int sectors = 245; // from sector 3: a partial chunk, 29 whole ones, a partial one
        ByteBuffer data = TargetBench.pattern(sectors * 512, 17);
        TargetBench.write(md, 3, data);
        for (Path p : files) {
            assertEquals(1, counted.count(p, BioOp.WRITE), "one write on " + p);
        }
        for (long s = 3; s < 3 + sectors; s++) {
            long n = s / 8;
            int stripe = (int) (n % 3);
            long onStripe = (n / 3) * 8 + s % 8 + offsets[stripe];
            assertEquals(data.slice((int) (s - 3) * 512, 512), TargetBench.fileBytes(files[stripe], onStripe * 512, 512), "sector " + s);
        }
        assertEquals(data, TargetBench.read(md, 3, sectors * 512).rewind());
        for (Path p : files) {
            assertEquals(1, counted.count(p, BioOp.READ), "one read on " + p);
        }
    }

    @Test
    void statusAndTableLinesAreTheKernels() throws Exception {
        MappedDevice md = bench.create("s", "0 2048 striped 2 128 " + a + " 0 " + b + " 0");
        assertEquals(List.of("0 2048 striped 2 7:0 7:1 1 AA"), md.activeTable().lines(StatusType.INFO));
        assertEquals(List.of("0 2048 striped 2 128 7:0 0 7:1 0"), md.activeTable().lines(StatusType.TABLE));
    }

    @Test
    void aFailingStripeIsMarkedDeadAndRaisesAnEvent() throws Exception {
        TargetBench.CountingFiles counted = new TargetBench.CountingFiles();
        bench.dm.addProvider(counted);
        MappedDevice md = bench.create("s", "0 1024 striped 2 8 " + a + " 0 counted://" + b + " 0");
        long events = md.eventNr();
        counted.failing.add(b.toString());
        assertEquals(BlkStatus.IOERR, TargetBench.failure(md.submit(Bio.read(8, ByteBuffer.allocateDirect(4096)))));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> md.eventNr() > events);
        assertEquals(List.of("0 1024 striped 2 7:0 8:0 1 AD"), md.activeTable().lines(StatusType.INFO));
        // the healthy stripe still serves
        TargetBench.write(md, 0, TargetBench.pattern(4096, 2));
    }

    @Test
    void everyConstructorRuleIsEnforcedWithTheKernelsWords() throws Exception {
        String d = a + " 0 " + b + " 0";
        assertRejected("0 1024 striped 2", "Not enough arguments");
        assertRejected("0 1024 striped 0 8 " + d, "Invalid stripe count");
        assertRejected("0 1024 striped x 8 " + d, "Invalid stripe count");
        assertRejected("0 1024 striped 4294967296 8 " + d, "Invalid stripe count");
        assertRejected("0 1024 striped 2 0 " + d, "Invalid chunk_size");
        assertRejected("0 1024 striped 2 -8 " + d, "Invalid chunk_size");
        assertRejected("0 1023 striped 2 8 " + d, "Target length not divisible by number of stripes");
        assertRejected("0 1020 striped 2 8 " + d, "Target length not divisible by chunk size");
        assertRejected("0 1024 striped 2 8 " + a + " 0", "Not enough destinations specified");
        assertRejected("0 1024 striped 2 8 " + d + " " + c + " 0", "Not enough destinations specified");
        assertRejected("0 1024 striped 2 8 " + a + " 0 " + b + " x", "Couldn't parse stripe destination");
        assertRejectedNoDevice("0 1024 striped 2 8 " + a + " 0 " + dir.resolve("missing.img") + " 0", "Couldn't parse stripe destination");
    }

    @Test
    void aStripeRangeBeyondItsDeviceIsRejected() throws Exception {
        // 2 stripes of 2048 sectors each from offset 1 do not fit in a 2048-sector file
        String msg = bench.rejected(c, "0 4096 striped 2 8 " + a + " 1 " + b + " 0");
        // the kernel names the device as its block device: our file is the loop device 7:N, "loopN"
        String loop = "loop" + bench.dm.fileDevT(a.toRealPath()).minor();
        assertTrue(msg.contains(loop + " too small for target: start=1, len=2048, dev_size=2048"), msg);
    }

    private void assertRejected(String table, String words) throws Exception {
        assertEquals("253:0: striped: " + words + " (-EINVAL)", bench.rejected(c, table));
    }

    private void assertRejectedNoDevice(String table, String words) throws Exception {
        assertEquals("253:0: striped: " + words + " (-ENODEV)", bench.rejected(c, table));
    }
}
