package io.mapperd.dm.targets;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DelayTargetTest extends ThreeFilesFixture {
    @Test
    void readsComeFromTheReadDeviceAndWritesGoToTheWriteDevice() throws Exception {
        ByteBuffer onA = TargetBench.pattern(8192, 1);
        TargetBench.writeFile(a, 32 * 512, onA);
        MappedDevice md = bench.create("d", "0 1024 delay " + a + " 32 0 " + b + " 64 0");
        assertEquals(onA, TargetBench.read(md, 0, 8192).rewind());
        ByteBuffer data = TargetBench.pattern(8192, 2);
        TargetBench.write(md, 10, data);
        assertEquals(data, TargetBench.fileBytes(b, (64 + 10) * 512, 8192));
        assertEquals(onA.rewind(), TargetBench.fileBytes(a, 32 * 512, 8192), "the read device is not written");
    }

    @Test
    void aDelayedReadWaitsOnATimerAndIsCountedWhileItWaits() throws Exception {
        TargetBench.writeFile(a, 0, TargetBench.pattern(4096, 5));
        MappedDevice md = bench.create("d", "0 1024 delay " + a + " 0 400");
        ByteBuffer into = ByteBuffer.allocateDirect(4096);
        CompletableFuture<Void> f = md.submit(Bio.read(0, into));
        assertFalse(f.isDone());
        assertEquals(List.of("0 1024 delay 1 0 0"), md.activeTable().lines(StatusType.INFO));
        await().atLeast(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(f::isDone);
        f.join();
        assertEquals(TargetBench.pattern(4096, 5), into);
        assertEquals(List.of("0 1024 delay 0 0 0"), md.activeTable().lines(StatusType.INFO));
    }

    @Test
    void readWriteAndFlushHaveTheirOwnDelays() throws Exception {
        MappedDevice md = bench.create("d", "0 1024 delay " + a + " 0 0 " + b + " 0 60000 " + c + " 0 0");
        CompletableFuture<Void> write = md.submit(Bio.write(0, TargetBench.pattern(4096, 3), 0));
        // reads and flushes are not delayed; the write waits a minute
        TargetBench.read(md, 0, 4096);
        md.submit(Bio.flush()).join();
        assertFalse(write.isDone());
        assertEquals(List.of("0 1024 delay 0 1 0"), md.activeTable().lines(StatusType.INFO));
        // a flush goes to the flush device: a write with PREFLUSH is a flush-class bio
        CompletableFuture<Void> preflush = md.submit(Bio.write(8, TargetBench.pattern(4096, 4), Bio.PREFLUSH));
        preflush.join();
        assertEquals(TargetBench.pattern(4096, 4), TargetBench.fileBytes(c, 8 * 512, 4096));
        bench.dm.suspend("d", false);
        bench.dm.resume("d");
        write.join();
    }

    @Test
    void suspendSendsEveryDelayedBioAtOnce() throws Exception {
        MappedDevice md = bench.create("d", "0 1024 delay " + a + " 0 60000");
        ByteBuffer data = TargetBench.pattern(4096, 8);
        CompletableFuture<Void> w = md.submit(Bio.write(16, data.duplicate(), 0));
        assertFalse(w.isDone());
        bench.dm.suspend("d", false); // returns once in-flight I/O drained: the delayed write went out
        assertEquals(true, w.isDone());
        w.join();
        assertEquals(data, TargetBench.fileBytes(a, 16 * 512, 4096));
        bench.dm.resume("d");
        CompletableFuture<Void> again = md.submit(Bio.write(16, data.duplicate(), 0));
        assertFalse(again.isDone(), "delays apply again after resume");
        assertEquals(List.of("0 1024 delay 0 1 0"), md.activeTable().lines(StatusType.INFO));
        bench.dm.suspend("d", false);
        again.join();
    }

    @Test
    void tableLinesHaveOneTwoOrThreeClassesAsLoaded() throws Exception {
        MappedDevice d3 = bench.create("d3", "0 1024 delay " + a + " 0 100");
        MappedDevice d6 = bench.create("d6", "0 1024 delay " + a + " 0 100 " + b + " 8 200");
        MappedDevice d9 = bench.create("d9", "0 1024 delay " + a + " 0 100 " + b + " 8 200 " + c + " 16 300");
        assertEquals(List.of("0 1024 delay 7:0 0 100"), d3.activeTable().lines(StatusType.TABLE));
        assertEquals(List.of("0 1024 delay 7:0 0 100 7:1 8 200"), d6.activeTable().lines(StatusType.TABLE));
        assertEquals(List.of("0 1024 delay 7:0 0 100 7:1 8 200 7:2 16 300"), d9.activeTable().lines(StatusType.TABLE));
        assertEquals(List.of("0 1024 delay 0 0 0"), d9.activeTable().lines(StatusType.INFO));
    }

    @Test
    void everyConstructorRuleIsEnforcedWithTheKernelsWords() throws Exception {
        assertRejected("0 1024 delay " + a + " 0", "Requires exactly 3, 6 or 9 arguments");
        assertRejected("0 1024 delay " + a + " 0 10 " + b + " 0", "Requires exactly 3, 6 or 9 arguments");
        assertRejected("0 1024 delay " + a + " 0 10 " + b + " 0 10 " + c, "Requires exactly 3, 6 or 9 arguments");
        assertRejected("0 1024 delay " + a + " x 10", "Invalid device sector");
        assertRejected("0 1024 delay " + a + " 0 ten", "Invalid delay");
        assertRejected("0 1024 delay " + a + " 0 10ms", "Invalid delay");
        assertRejectedNoDevice("0 1024 delay " + dir.resolve("none") + " 0 10", "Device lookup failed");
        assertRejected("0 1024 delay " + a + " 0 10 " + b + " 1s 10", "Invalid device sector");
        assertRejected("0 1024 delay " + a + " 0 10 " + b + " 0 10 " + c + " 0 1.5", "Invalid delay");
        assertRejectedNoDevice("0 1024 delay " + a + " 0 10 " + dir.resolve("none") + " 0 10", "Device lookup failed");
    }

    private void assertRejected(String table, String words) throws Exception {
        assertEquals("253:0: delay: " + words + " (-EINVAL)", bench.rejected(c, table));
    }

    private void assertRejectedNoDevice(String table, String words) throws Exception {
        assertEquals("253:0: delay: " + words + " (-ENODEV)", bench.rejected(c, table));
    }
}
