package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioCompletion;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BioOp;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bios passed down a stack with completions ({@link BlockDevice#submit(Bio, BioCompletion)},
 * {@link Target#map(Bio, BioCompletion)}) instead of futures: data, errors, requeue, striped
 * failures and the suspend gate behave as on the future path.
 */
class CompletionPathTest extends TwoFilesFixture {
    @Test
    void aStackedLinearCompletesOnceThroughItsCompletionAndTheDataLands() throws Exception {
        dm.create("low", null, "0 16384 linear " + a + " 0", false);
        MappedDevice top = dm.create("top", null, "0 8192 linear /dev/mapper/low 4096", false);
        ByteBuffer data = TestFiles.pattern(4096, 3);
        Once w = new Once();
        top.submit(Bio.write(8, data, 0), w);
        assertNull(w.await());
        assertEquals(data.rewind(), TestFiles.readFile(a, (4096 + 8) * 512L, 4096));
        ByteBuffer back = ByteBuffer.allocateDirect(4096);
        Once r = new Once();
        top.submit(Bio.read(8, back), r);
        assertNull(r.await());
        assertEquals(data.rewind(), back.rewind());
        assertEquals(1, w.calls.get());
        assertEquals(1, r.calls.get());
        assertEquals(1, top.ioStats().ops(BioOp.WRITE));
        assertEquals(4096, dm.get("low").ioStats().bytes(BioOp.READ));
        assertEquals(0, top.inflight());
    }

    @Test
    void aFileDeviceRefusesReadOnlyWritesAndBiosBeyondItsEndThroughTheCompletion() throws Exception {
        try (FileBlockDevice ro = FileBlockDevice.open(a, true, new DevT(7, 40), 512)) {
            Once w = new Once();
            ro.submit(Bio.write(0, TestFiles.pattern(512, 1), 0), w);
            BioException e = assertInstanceOf(BioException.class, w.await());
            assertEquals(BlkStatus.IOERR, e.status());
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            Once r = new Once();
            ro.submit(Bio.read(16384, ByteBuffer.allocateDirect(512)), r);
            e = assertInstanceOf(BioException.class, r.await());
            assertTrue(e.getMessage().contains("access beyond end"), e.getMessage());
        }
    }

    @Test
    void anErrorBelowFailsTheBioWithItsStatusAndIsCountedAsAnError() throws Exception {
        dm.create("bad", null, "0 16 error", false);
        MappedDevice top = dm.create("top", null, "0 16 linear /dev/mapper/bad 0", false);
        Once r = new Once();
        top.submit(Bio.read(0, ByteBuffer.allocateDirect(4096)), r);
        BioException e = assertInstanceOf(BioException.class, r.await());
        assertEquals(BlkStatus.IOERR, e.status());
        CompletableFuture<Void> f = top.submit(Bio.write(8, TestFiles.pattern(4096, 1), 0));
        assertEquals(BlkStatus.IOERR, BioException.statusOf(
                org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS))));
        assertEquals(1, top.ioStats().errors(BioOp.READ));
        assertEquals(1, top.ioStats().errors(BioOp.WRITE));
        assertEquals(1, dm.get("bad").ioStats().errors(BioOp.READ));
        assertEquals(0, top.inflight());
    }

    @Test
    void aBioRequeuedBelowWaitsForResumeAndCompletesOnceOnTheNewTable() throws Exception {
        Hold hold = new Hold();
        dm.targets().register(hold.type());
        MappedDevice q = dm.create("q", null, "0 16384 hold", false);
        MappedDevice top = dm.create("top", null, "0 16384 linear /dev/mapper/q 0", false);
        ByteBuffer data = TestFiles.pattern(4096, 8);
        Once w = new Once();
        top.submit(Bio.write(16, data, 0), w);
        await().atMost(Duration.ofSeconds(5)).until(() -> hold.held.size() == 1);
        dm.suspend("q", true); // the hold target hands its bio back with DM_REQUEUE
        assertFalse(w.result.isDone(), "a requeued bio neither completes nor fails during suspend");
        assertEquals(0, q.inflight());
        dm.load("q", "0 16384 linear " + a + " 0", false);
        dm.resume("q");
        assertNull(w.await());
        assertEquals(data.rewind(), TestFiles.readFile(a, 16 * 512L, 4096));
        assertEquals(1, w.calls.get());
        assertEquals(0, q.ioStats().errors(BioOp.WRITE), "a requeue is not an error");
        assertEquals(1, q.ioStats().ops(BioOp.WRITE));
    }

    @Test
    void aBioSplitOverAHealthyAndAFailingStripeFailsAndMarksOnlyTheFailingOne() throws Exception {
        dm.create("ok", null, "0 1024 linear " + a + " 0", false);
        dm.create("bad", null, "0 1024 error", false);
        MappedDevice s = dm.create("s", null, "0 2048 striped 2 8 /dev/mapper/ok 0 /dev/mapper/bad 0", false);
        long events = s.eventNr();
        // sectors 4..11: 4 sectors on stripe 0 (ok), 4 on stripe 1 (error)
        Once r = new Once();
        s.submit(Bio.read(4, ByteBuffer.allocateDirect(4096)), r);
        assertEquals(BlkStatus.IOERR, BioException.statusOf(r.await()));
        assertEquals(1, r.calls.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> s.eventNr() > events);
        String status = s.activeTable().lines(StatusType.INFO).getFirst();
        assertTrue(status.endsWith(" 1 AD"), status);
        // a bio inside the healthy stripe still completes, through the same path
        ByteBuffer data = TestFiles.pattern(4096, 5);
        Once w = new Once();
        s.submit(Bio.write(16, data, 0), w);
        assertNull(w.await());
        // sector 16 is chunk 2: stripe 0, its chunk 1, at sector 8 of ok
        assertEquals(data.rewind(), TestFiles.readFile(a, 8 * 512L, 4096));
    }

    @Test
    void suspendReturnsOnlyWhenNothingIsInFlightWhileManyThreadsSubmit() throws Exception {
        Tally tally = new Tally();
        dm.targets().register(tally.type());
        MappedDevice md = dm.create("t", null, "0 16384 tally " + a, false);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong submitted = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            submitters.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                while (!stop.get()) {
                    List<CompletableFuture<Void>> batch = new ArrayList<>();
                    for (int k = 0; k < 8; k++, n++) {
                        long sector = ((id * 8L + k) * 64 + (n % 8) * 8) % 16384;
                        submitted.incrementAndGet();
                        if (k % 2 == 0) {
                            batch.add(md.submit(Bio.write(sector, ByteBuffer.allocateDirect(4096), 0)));
                        } else {
                            CompletableFuture<Void> f = new CompletableFuture<>();
                            md.submit(Bio.read(sector, ByteBuffer.allocateDirect(4096)), e -> {
                                if (e == null) {
                                    f.complete(null);
                                } else {
                                    f.completeExceptionally(e);
                                }
                            });
                            batch.add(f);
                        }
                    }
                    for (CompletableFuture<Void> f : batch) {
                        try {
                            f.join();
                            completed.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.add(e);
                        }
                    }
                }
            }));
        }
        for (int round = 0; round < 20; round++) {
            long before = completed.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.get() > before + 50);
            dm.suspend("t", false);
            assertEquals(0, tally.active.get(), "suspend returned with a bio inside the target");
            // a submitter may be between passing the gate and turning back to wait: not in flight for long
            await().atMost(Duration.ofSeconds(5)).until(() -> md.inflight() == 0);
            Thread.sleep(5);
            assertEquals(0, tally.active.get(), "a bio reached the target while suspended");
            dm.resume("t");
        }
        stop.set(true);
        for (Thread t : submitters) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "errors: " + errors);
        assertEquals(submitted.get(), completed.get());
        // a bio leaves the gate just after its submitter is told
        await().atMost(Duration.ofSeconds(5)).until(() -> md.inflight() == 0);
        assertTrue(tally.max.get() > 1, "bios were in flight together");
    }

    /** A completion that records its calls. */
    static final class Once implements BioCompletion {
        private static final Throwable NONE = new Throwable("no error");
        final CompletableFuture<Throwable> result = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void bioDone(Throwable errorOrNull) {
            calls.incrementAndGet();
            result.complete(errorOrNull == null ? NONE : errorOrNull);
        }

        Throwable await() throws Exception {
            Throwable t = result.get(5, TimeUnit.SECONDS);
            return t == NONE ? null : t;
        }
    }

    /** Holds bios (completion form) until a noflush presuspend hands them back with DM_REQUEUE. */
    static final class Hold {
        final ConcurrentLinkedQueue<BioCompletion> held = new ConcurrentLinkedQueue<>();

        TargetType type() {
            return new TestTargetType("hold", (ctx, args) -> new Target() {
                @Override
                public CompletableFuture<Void> map(Bio bio) {
                    throw new AssertionError("the stack must use the completion form");
                }

                @Override
                public void map(Bio bio, BioCompletion done) {
                    held.add(done);
                }

                @Override
                public void presuspend(boolean noflush) {
                    BioCompletion d;
                    while (noflush && (d = held.poll()) != null) {
                        d.bioDone(new BioException(BlkStatus.DM_REQUEUE, "requeue"));
                    }
                }

                @Override
                public String status(StatusType type) {
                    return "";
                }
            });
        }
    }

    /** Maps onto a file and counts the bios inside it (mapped and not yet completed). */
    static final class Tally {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        TargetType type() {
            return new TestTargetType("tally", (ctx, args) -> {
                DeviceRef dev = ctx.getDevice(args.getFirst(), 0, ctx.length());
                return new Target() {
                    @Override
                    public CompletableFuture<Void> map(Bio bio) {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        map(bio, e -> {
                            if (e == null) {
                                f.complete(null);
                            } else {
                                f.completeExceptionally(e);
                            }
                        });
                        return f;
                    }

                    @Override
                    public void map(Bio bio, BioCompletion done) {
                        max.accumulateAndGet(active.incrementAndGet(), Math::max);
                        dev.device().submit(bio, e -> {
                            active.decrementAndGet();
                            done.bioDone(e);
                        });
                    }

                    @Override
                    public String status(StatusType type) {
                        return "";
                    }
                };
            });
        }
    }
}
