package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.VerifyingWriters;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I/O through multipath maps whose paths are mapped devices over one file (killed by loading
 * the error target into them, as an operator would) or test-only faulty devices.
 */
class MultipathIoTest extends PathsOverOneFile {
    static final long SECTORS = 16384;

    MultipathIoTest() {
        super(SECTORS);
    }

    private MappedDevice mpath(String params) throws DmException {
        return dm.create("mp", null, "0 " + SECTORS + " multipath " + params, false);
    }

    private String info() throws DmException {
        return dm.get("mp").activeTable().lines(StatusType.INFO).getFirst();
    }

    private static BlkStatus statusOf(CompletableFuture<Void> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return BioException.statusOf(e);
    }

    @Test
    void ioKeepsFlowingAcrossPathKillsWithVerifiedData() throws Exception {
        path("p0");
        path("p1");
        MappedDevice md = mpath("0 0 1 1 round-robin 0 2 1 /dev/mapper/p0 1 /dev/mapper/p1 1");
        long events = md.eventNr();
        VerifyingWriters w = new VerifyingWriters(md, 4, 100_000, (id, i) -> id * 2048L + (i % 256) * 8L);
        try {
            for (int round = 0; round < 3; round++) {
                String victim = round % 2 == 0 ? "p0" : "p1";
                w.awaitProgress(50);
                kill(victim);
                w.awaitProgress(100);
                String dev = victim.equals("p0") ? "253:0" : "253:1";
                assertTrue(info().contains(dev + " F "), info());
                restore(victim);
                dm.message("mp", 0, List.of("reinstate_path", "/dev/mapper/" + victim));
                assertTrue(info().contains(dev + " A "), info());
            }
            w.awaitProgress(50);
        } finally {
            w.stop();
        }
        assertEquals(List.of(), List.copyOf(w.errors));
        assertTrue(md.eventNr() >= events + 6, "fail and reinstate raise events: " + md.eventNr());
        assertEquals("0 16384 multipath 2 0 0 0 1 1 A 0 2 0 253:0 A 2 253:1 A 1 ", info());
    }

    @Test
    void failoverMovesToTheNextGroupAndSwitchGroupBringsItBack() throws Exception {
        path("p0");
        path("p1");
        MappedDevice md = mpath("0 0 2 1 round-robin 0 1 1 /dev/mapper/p0 1 round-robin 0 1 1 /dev/mapper/p1 1");
        VerifyingWriters w = new VerifyingWriters(md, 2, 100_000, (id, i) -> id * 2048L + (i % 256) * 8L);
        try {
            w.awaitProgress(20);
            assertEquals("0 16384 multipath 2 0 0 0 2 1 A 0 1 0 253:0 A 0 E 0 1 0 253:1 A 0 ", info());
            kill("p0");
            w.awaitProgress(50);
            assertEquals("0 16384 multipath 2 0 0 0 2 2 E 0 1 0 253:0 F 1 A 0 1 0 253:1 A 0 ", info());
            restore("p0");
            dm.message("mp", 0, List.of("reinstate_path", "253:0"));
            dm.message("mp", 0, List.of("switch_group", "1"));
            w.awaitProgress(20);
            assertEquals("0 16384 multipath 2 0 0 0 2 1 A 0 1 0 253:0 A 1 E 0 1 0 253:1 A 0 ", info());
        } finally {
            w.stop();
        }
        assertEquals(List.of(), List.copyOf(w.errors));
    }

    @Test
    void queueIfNoPathHoldsWritesThroughAFullOutageAndCompletesThemOnReinstate() throws Exception {
        path("p0");
        path("p1");
        MappedDevice md = mpath("1 queue_if_no_path 0 1 1 round-robin 0 2 1 /dev/mapper/p0 1 /dev/mapper/p1 1");
        kill("p0");
        kill("p1");
        List<CompletableFuture<Void>> fs = writes(md, 20, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 20);
        Thread.sleep(100);
        assertTrue(fs.stream().noneMatch(CompletableFuture::isDone), "held writes must not complete");
        assertEquals("0 16384 multipath 2 0 0 0 1 1 E 0 2 0 253:0 F 1 253:1 F 1 ", info());
        restore("p1");
        dm.message("mp", 0, List.of("reinstate_path", "253:1"));
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertWritten(20, 7);
        assertEquals(0, target(md).queuedBios());
    }

    @Test
    void failIfNoPathReleasesHeldWritesWithErrors() throws Exception {
        path("p0");
        path("p1");
        MappedDevice md = mpath("1 queue_if_no_path 0 1 1 round-robin 0 2 1 /dev/mapper/p0 1 /dev/mapper/p1 1");
        kill("p0");
        kill("p1");
        List<CompletableFuture<Void>> fs = writes(md, 10, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 10);
        dm.message("mp", 0, List.of("fail_if_no_path"));
        for (CompletableFuture<Void> f : fs) {
            assertEquals(BlkStatus.IOERR, statusOf(f));
        }
        assertEquals(BlkStatus.IOERR, statusOf(md.submit(Bio.read(0, ByteBuffer.allocateDirect(4096)))));
        assertEquals("0 16384 multipath 0 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst());
    }

    @Test
    void withoutQueueIfNoPathTheLastPathFailureFailsAtOnce() throws Exception {
        path("p0");
        MappedDevice md = mpath("0 0 1 1 round-robin 0 1 1 /dev/mapper/p0 1");
        kill("p0");
        assertEquals(BlkStatus.IOERR, statusOf(md.submit(Bio.write(0, TestFiles.pattern(4096, 1), 0))));
        assertEquals(BlkStatus.IOERR, statusOf(md.submit(Bio.write(0, TestFiles.pattern(4096, 1), 0))));
        assertEquals("0 16384 multipath 2 0 0 0 1 1 E 0 1 0 253:0 F 1 ", info());
    }

    @Test
    void biosSentDownAPathAskTheTransportToFailFastAndKeepTheirOwnFlags() throws Exception {
        MappedDevice md = mpath("0 0 1 1 round-robin 0 1 0 " + FaultyProvider.url("f0", file));
        md.submit(Bio.write(0, TestFiles.pattern(4096, 1), Bio.FUA)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Bio.FUA | Bio.FAILFAST_TRANSPORT, faulty.get("f0").lastFlags,
                "another path can take the bio: the transport must not hold it while it reconnects");
    }

    @Test
    void dataErrorsGoBackUnchangedAndDoNotFailThePath() throws Exception {
        MappedDevice md = mpath("0 0 1 1 round-robin 0 2 0 " + FaultyProvider.url("f0", file) + " "
                + FaultyProvider.url("f1", file));
        long events = md.eventNr();
        faulty.get("f0").failWith(BlkStatus.MEDIUM);
        int medium = 0;
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Void> f = md.submit(Bio.write(i * 8L, TestFiles.pattern(4096, i), 0));
            try {
                f.join();
            } catch (CompletionException e) {
                assertEquals(BlkStatus.MEDIUM, BioException.statusOf(e));
                medium++;
            }
        }
        assertEquals(5, medium, "round-robin sends every other write to the path with the medium error");
        assertEquals("0 16384 multipath 2 0 0 0 1 1 A 0 2 0 240:0 A 0 240:1 A 0 ", info());
        assertEquals(events, md.eventNr());

        faulty.get("f0").failWith(BlkStatus.TRANSPORT);
        for (int i = 0; i < 10; i++) {
            md.submit(Bio.write(i * 8L, TestFiles.pattern(4096, 50 + i), 0)).join();
        }
        assertWritten(10, 50);
        assertEquals("0 16384 multipath 2 0 0 0 1 1 A 0 2 0 240:0 F 1 240:1 A 0 ", info());
        await().atMost(Duration.ofSeconds(5)).until(() -> md.eventNr() > events);
    }

    @Test
    void aHungPathDoesNotHoldBackTheOthers() throws Exception {
        MappedDevice md = mpath("0 0 1 1 queue-length 0 2 0 " + FaultyProvider.url("f0", file) + " "
                + FaultyProvider.url("f1", file));
        FaultyDevice f0 = faulty.get("f0");
        f0.hold(true);
        CompletableFuture<Void> stuck = md.submit(Bio.write(0, TestFiles.pattern(4096, 0), 0));
        for (int i = 1; i < 20; i++) {
            md.submit(Bio.write(i * 8L, TestFiles.pattern(4096, i), 0)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(stuck.isDone());
        f0.hold(false);
        f0.release();
        stuck.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertWritten(20, 0);
    }
}
