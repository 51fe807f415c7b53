package io.mapperd.dm.io;

import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.core.TmpfsTempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain writes to a file on tmpfs run on an {@link InlineIo} thread; everything else keeps to the I/O threads. */
class InlineWritesTest {
    /** In the build directory: on the disk the project is on. */
    @TempDir(factory = BuildDirTempDirs.class)
    Path diskDir;
    @TempDir(factory = TmpfsTempDirs.class)
    Path shmDir;
    ExecutorService permitted;
    ExecutorService plain;

    @BeforeEach
    void setUp() throws Exception {
        permitted = Executors.newSingleThreadExecutor(InlineIo.permitting(Executors.defaultThreadFactory()));
        plain = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        permitted.shutdownNow();
        plain.shutdownNow();
    }

    private static FileBlockDevice open(Path dir) throws Exception {
        Path f = dir.resolve("disk.img");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(1 << 20);
        }
        return FileBlockDevice.open(f, false, new DevT(7, 3), 512);
    }

    /** Submits {@code bio} from a thread of {@code on}: which thread completed it, and whether before submit returned. */
    private static Ran submitFrom(ExecutorService on, FileBlockDevice dev, Bio bio) throws Exception {
        CompletableFuture<Ran> ran = new CompletableFuture<>();
        on.execute(() -> {
            Thread submitter = Thread.currentThread();
            Thread[] completer = new Thread[1];
            Throwable[] error = new Throwable[1];
            CompletableFuture<Void> done = new CompletableFuture<>();
            dev.submit(bio, e -> {
                completer[0] = Thread.currentThread();
                error[0] = e;
                done.complete(null);
            });
            boolean before = done.isDone();
            done.join();
            ran.complete(new Ran(submitter, completer[0], before, error[0]));
        });
        return ran.get(10, TimeUnit.SECONDS);
    }

    static final class BuildDirTempDirs implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws java.io.IOException {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "inline-disk-");
        }
    }

    record Ran(Thread submitter, Thread completer, boolean completedInSubmit, Throwable error) {
    }

    @Test
    void aFileOnTmpfsIsMemoryBackedAndOneOnDiskIsNot() throws Exception {
        try (FileBlockDevice shm = open(shmDir); FileBlockDevice disk = open(diskDir)) {
            assertTrue(shm.isMemoryBacked(), shmDir + " is tmpfs");
            assertFalse(disk.isMemoryBacked(), diskDir + " on " + Files.getFileStore(diskDir).type());
        }
    }

    @Test
    void aPlainWriteFromAPermittedThreadRunsOnItAndLands() throws Exception {
        try (FileBlockDevice dev = open(shmDir)) {
            ByteBuffer data = TestFiles.pattern(8192, 11);
            Ran r = submitFrom(permitted, dev, Bio.write(16, data.duplicate(), 0));
            assertNull(r.error());
            assertSame(r.submitter(), r.completer());
            assertTrue(r.completedInSubmit(), "completed before submit returned");
            ByteBuffer back = ByteBuffer.allocate(8192);
            dev.submit(Bio.read(16, back)).get(10, TimeUnit.SECONDS);
            assertEquals(data.rewind(), back.rewind());
        }
    }

    @Test
    void writesThatMayTakeLongAndWritesFromOtherThreadsGoToTheIoThreads() throws Exception {
        try (FileBlockDevice dev = open(shmDir)) {
            Function<Integer, ByteBuffer> buf = n -> TestFiles.pattern(n, 5);
            Bio[] offLoop = {
                Bio.write(0, buf.apply(4096), Bio.FUA),
                Bio.writeZeroes(0, 512 << 10, 0),
                Bio.flush(),
                Bio.read(0, ByteBuffer.allocate(4096)),
            };
            for (Bio b : offLoop) {
                Ran r = submitFrom(permitted, dev, b);
                assertNull(r.error(), b.toString());
                assertNotSame(r.submitter(), r.completer(), b + " ran on the submitting thread");
            }
            Ran r = submitFrom(plain, dev, Bio.write(0, buf.apply(4096), 0));
            assertNull(r.error());
            // (an I/O thread may well finish it before submit returns: which thread ran it is what tells)
            assertNotSame(r.submitter(), r.completer(), "a write from a thread not permitted ran inline");
        }
    }

    @Test
    void aFileOnDiskNeverRunsInline() throws Exception {
        try (FileBlockDevice dev = open(diskDir)) {
            Ran r = submitFrom(permitted, dev, Bio.write(0, TestFiles.pattern(4096, 2), 0));
            assertNull(r.error());
            assertNotSame(r.submitter(), r.completer());
        }
    }
}
