package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.VerifyingWriters;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Suspend, resume and table reload of a multipath map with held and in-flight bios. */
class MultipathSuspendTest extends PathsOverOneFile {
    static final long SECTORS = 16384;

    MultipathSuspendTest() {
        super(SECTORS);
    }

    @BeforeEach
    void createPaths() throws Exception {
        path("p0");
        path("p1");
    }

    private static String mp(String features, String selector) {
        return "0 " + SECTORS + " multipath " + features + " 0 1 1 " + selector;
    }

    private static final String RR = "round-robin 0 2 1 /dev/mapper/p0 1 /dev/mapper/p1 1";
    private static final String QL = "queue-length 0 2 1 /dev/mapper/p1 1 /dev/mapper/p0 1";
    private static final String ST = "service-time 0 2 2 /dev/mapper/p0 1 2 /dev/mapper/p1 1 1";

    @Test
    void noflushSuspendHandsHeldBiosBackAndTheReloadedTableCompletesThem() throws Exception {
        MappedDevice md = dm.create("mp", null, mp("1 queue_if_no_path", RR), false);
        kill("p0");
        kill("p1");
        List<CompletableFuture<Void>> fs = writes(md, 16, 11);
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 16);
        dm.suspend("mp", true);
        assertEquals(0, md.inflight(), "held bios went back to the device");
        assertTrue(fs.stream().noneMatch(CompletableFuture::isDone), "no held bio completed or failed");
        assertEquals("0 16384 multipath 1 queue_if_no_path 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst(), "a noflush suspend keeps queue_if_no_path");
        restore("p1");
        dm.load("mp", mp("1 queue_if_no_path", QL), false);
        dm.resume("mp");
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertWritten(16, 11);
    }

    @Test
    void noflushSuspendAndResumeOfTheSameTableKeepsHeldBios() throws Exception {
        MappedDevice md = dm.create("mp", null, mp("1 queue_if_no_path", RR), false);
        kill("p0");
        kill("p1");
        List<CompletableFuture<Void>> fs = writes(md, 8, 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 8);
        dm.suspend("mp", true);
        dm.resume("mp");
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 8);
        assertTrue(fs.stream().noneMatch(CompletableFuture::isDone));
        restore("p0");
        dm.message("mp", 0, List.of("reinstate_path", "253:0"));
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertWritten(8, 5);
    }

    @Test
    void flushSuspendStopsQueueingFailsHeldBiosAndResumeRestoresIt() throws Exception {
        MappedDevice md = dm.create("mp", null, mp("1 queue_if_no_path", RR), false);
        kill("p0");
        kill("p1");
        List<CompletableFuture<Void>> fs = writes(md, 4, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> target(md).queuedBios() == 4);
        dm.suspend("mp", false);
        for (CompletableFuture<Void> f : fs) {
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertEquals(BlkStatus.IOERR, BioException.statusOf(e));
        }
        assertEquals("0 16384 multipath 0 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst(), "queue_if_no_path is off while suspended");
        dm.resume("mp");
        assertEquals("0 16384 multipath 1 queue_if_no_path 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst());
    }

    @Test
    void bioBasedMapsStopQueueingEvenForANoflushSuspend() throws Exception {
        MappedDevice md = dm.create("mp", null, mp("3 queue_if_no_path queue_mode bio", RR), false);
        dm.suspend("mp", true);
        assertEquals("0 16384 multipath 3 retain_attached_hw_handler queue_mode bio 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst());
        dm.resume("mp");
        assertEquals("0 16384 multipath 4 queue_if_no_path retain_attached_hw_handler queue_mode bio 0 1 1 round-robin 0 2 1 253:0 1 253:1 1 ",
                md.activeTable().lines(StatusType.TABLE).getFirst());
    }

    @Test
    void reloadsUnderIoWithPathsComingAndGoingLoseNothing() throws Exception {
        MappedDevice md = dm.create("mp", null, mp("1 queue_if_no_path", RR), false);
        VerifyingWriters w = new VerifyingWriters(md, 4, 10_000, (id, i) -> 1024 + id * 2048L + (i % 128) * 8L);
        List<String> selectors = List.of(QL, ST, RR);
        try {
            for (int round = 0; round < 6; round++) {
                w.awaitProgress(31);
                if (round % 2 == 1) {
                    // a full outage: writers block on held bios while the map is reloaded
                    kill("p0");
                    kill("p1");
                    Thread.sleep(30);
                }
                dm.suspend("mp", true);
                restore("p0");
                restore("p1");
                dm.load("mp", mp("1 queue_if_no_path", selectors.get(round % 3)), false);
                dm.resume("mp");
            }
            w.awaitProgress(31);
        } finally {
            w.stop();
        }
        assertEquals(List.of(), List.copyOf(w.errors));
    }
}
