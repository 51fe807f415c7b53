package io.mapperd.dm.targets.multipath;

import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each selector sends bios, counted at the paths. */
class PathSelectorDistributionTest extends PathsOverOneFile {
    PathSelectorDistributionTest() {
        super(16384);
    }

    private String p(String name) {
        return FaultyProvider.url(name, file);
    }

    private MappedDevice mpath(String params) throws DmException {
        return dm.create("mp", null, "0 16384 multipath " + params, false);
    }

    private static void reads(MappedDevice md, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            md.submit(Bio.read((i % 64) * 8L, ByteBuffer.allocateDirect(4096))).get(5, TimeUnit.SECONDS);
        }
    }

    private static List<CompletableFuture<Void>> readsInFlight(MappedDevice md, int n) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(md.submit(Bio.read((i % 64) * 8L, ByteBuffer.allocateDirect(4096))));
        }
        return fs;
    }

    private long sent(String name) {
        return faulty.get(name).submitted.get();
    }

    @Test
    void roundRobinIsEvenAndMovesOnEveryBio() throws Exception {
        MappedDevice md = mpath("0 0 1 1 round-robin 0 3 1 " + p("f0") + " 1 " + p("f1") + " 1 " + p("f2") + " 1");
        for (int i = 1; i <= 30; i++) {
            reads(md, 1);
            long lo = Math.min(sent("f0"), Math.min(sent("f1"), sent("f2")));
            long hi = Math.max(sent("f0"), Math.max(sent("f1"), sent("f2")));
            assertTrue(hi - lo <= 1, "after " + i + " bios: " + sent("f0") + "/" + sent("f1") + "/" + sent("f2"));
        }
        reads(md, 270);
        assertEquals(List.of(100L, 100L, 100L), List.of(sent("f0"), sent("f1"), sent("f2")));
    }

    @Test
    void roundRobinRepeatCountAboveOneIsTakenAsOne() throws Exception {
        MappedDevice md = mpath("0 0 1 1 round-robin 0 2 1 " + p("f0") + " 100 " + p("f1") + " 100");
        assertTrue(md.activeTable().lines(StatusType.TABLE).getFirst().endsWith("round-robin 0 2 1 240:0 1 240:1 1 "));
        reads(md, 2);
        assertEquals(List.of(1L, 1L), List.of(sent("f0"), sent("f1")));
        reads(md, 98);
        assertEquals(List.of(50L, 50L), List.of(sent("f0"), sent("f1")));
    }

    @Test
    void roundRobinSkipsFailedPathsAndTakesThemBack() throws Exception {
        MappedDevice md = mpath("0 0 1 1 round-robin 0 3 0 " + p("f0") + " " + p("f1") + " " + p("f2"));
        dm.message("mp", 0, List.of("fail_path", "240:1"));
        reads(md, 100);
        assertEquals(List.of(50L, 0L, 50L), List.of(sent("f0"), sent("f1"), sent("f2")));
        dm.message("mp", 0, List.of("reinstate_path", "240:1"));
        reads(md, 99);
        assertEquals(33L, sent("f1"));
    }

    @Test
    void queueLengthPicksTheLeastBusyPath() throws Exception {
        MappedDevice md = mpath("0 0 1 1 queue-length 0 2 1 " + p("f0") + " 1 " + p("f1") + " 1");
        FaultyDevice f0 = faulty.get("f0");
        f0.hold(true);
        List<CompletableFuture<Void>> stuck = readsInFlight(md, 1);
        assertEquals(1, f0.heldCount());
        assertTrue(md.activeTable().lines(StatusType.INFO).getFirst().endsWith("240:0 A 0 1 240:1 A 0 0 "));
        reads(md, 20);
        assertEquals(List.of(1L, 20L), List.of(sent("f0"), sent("f1")));
        f0.hold(false);
        f0.release();
        stuck.getFirst().get(5, TimeUnit.SECONDS);
        reads(md, 20);
        assertEquals(11L, sent("f0"), "idle paths share evenly again");
        // with both paths loaded, the one with fewer in flight gets the next bio
        f0.hold(true);
        faulty.get("f1").hold(true);
        List<CompletableFuture<Void>> held = readsInFlight(md, 9);
        assertEquals(List.of(5, 4), List.of(f0.heldCount(), faulty.get("f1").heldCount()));
        f0.hold(false);
        faulty.get("f1").hold(false);
        f0.release();
        faulty.get("f1").release();
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void serviceTimeHonoursRelativeThroughput() throws Exception {
        MappedDevice md = mpath("0 0 1 1 service-time 0 2 2 " + p("f0") + " 1 1 " + p("f1") + " 1 4");
        FaultyDevice f0 = faulty.get("f0");
        FaultyDevice f1 = faulty.get("f1");
        f0.hold(true);
        f1.hold(true);
        List<CompletableFuture<Void>> fs = readsInFlight(md, 50);
        assertEquals(List.of(10, 40), List.of(f0.heldCount(), f1.heldCount()));
        assertTrue(md.activeTable().lines(StatusType.INFO).getFirst()
                .endsWith("240:0 A 0 40960 1 240:1 A 0 163840 4 "), md.activeTable().lines(StatusType.INFO).getFirst());
        f0.hold(false);
        f1.hold(false);
        f0.release();
        f1.release();
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertTrue(md.activeTable().lines(StatusType.INFO).getFirst().endsWith("240:0 A 0 0 1 240:1 A 0 0 4 "));
    }

    @Test
    void serviceTimeUsesAZeroThroughputPathOnlyWhenNothingElseIsLeft() throws Exception {
        MappedDevice md = mpath("0 0 1 1 service-time 0 2 2 " + p("f0") + " 1 0 " + p("f1") + " 1 1");
        FaultyDevice f1 = faulty.get("f1");
        f1.hold(true);
        List<CompletableFuture<Void>> fs = readsInFlight(md, 20);
        assertEquals(List.of(0L, 20L), List.of(sent("f0"), sent("f1")));
        dm.message("mp", 0, List.of("fail_path", "240:1"));
        reads(md, 5);
        assertEquals(5L, sent("f0"));
        f1.hold(false);
        f1.release();
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void historicalServiceTimePrefersTheFasterPath() throws Exception {
        MappedDevice md = mpath("0 0 1 1 historical-service-time 0 2 0 " + p("f0") + " " + p("f1"));
        faulty.get("f0").delay(15);
        reads(md, 300);
        long slow = sent("f0");
        long fast = sent("f1");
        assertEquals(300, slow + fast);
        assertTrue(fast > 270, "fast path got " + fast + " of 300, slow " + slow);
        assertTrue(slow >= 1, "the slow path is probed now and then");
        String info = md.activeTable().lines(StatusType.INFO).getFirst();
        assertTrue(info.startsWith("0 16384 multipath 2 0 0 0 1 1 A 2 972 0 2 3 240:0 A 0 "), info);
    }

    @Test
    void selectorsKeepWorkingUnderConcurrentLoad() throws Exception {
        for (String sel : List.of("round-robin 0 2 1 %s 1 %s 1", "queue-length 0 2 1 %s 1 %s 1",
                "service-time 0 2 2 %s 1 1 %s 1 1", "historical-service-time 0 2 0 %s %s")) {
            MappedDevice md = dm.create("c", null, "0 16384 multipath 0 0 1 1 "
                    + sel.formatted(FaultyProvider.url("c0", file), FaultyProvider.url("c1", file)), false);
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                fs.add(md.submit(Bio.read((i % 64) * 8L, ByteBuffer.allocateDirect(4096))));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            long c0 = faulty.get("c0").submitted.get();
            long c1 = faulty.get("c1").submitted.get();
            assertEquals(400, c0 + c1, sel);
            assertTrue(c0 > 0 && c1 > 0, sel + ": " + c0 + "/" + c1);
            await().atMost(Duration.ofSeconds(5)).until(() -> faulty.get("c0").inflight.get() == 0);
            dm.remove("c", false, false);
        }
    }

    /** Start and end of I/O update a path's in-flight count without the selector's lock: none may be lost. */
    @Test
    void inFlightCountsComeBackToZeroAfterIoFromManyThreads() throws Exception {
        for (String sel : List.of("queue-length 0 2 1 %s 1 %s 1", "service-time 0 2 2 %s 1 1 %s 1 1")) {
            MappedDevice md = dm.create("z", null, "0 16384 multipath 0 0 1 1 "
                    + sel.formatted(FaultyProvider.url("z0", file), FaultyProvider.url("z1", file)), false);
            reads(md, 1); // the group is active from the first bio on
            List<String> idle = md.activeTable().lines(StatusType.INFO);
            List<CompletableFuture<Void>> fs = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                submitters.add(Thread.ofPlatform().start(() -> fs.addAll(readsInFlight(md, 500))));
            }
            for (Thread t : submitters) {
                t.join();
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(2001, faulty.get("z0").submitted.get() + faulty.get("z1").submitted.get(), sel);
            assertTrue(faulty.get("z0").submitted.get() > 0 && faulty.get("z1").submitted.get() > 0, sel);
            // the status line of a map with nothing in flight: every path's count (or bytes) back to 0
            assertEquals(idle, md.activeTable().lines(StatusType.INFO), sel);
            dm.remove("z", false, false);
        }
    }
}
