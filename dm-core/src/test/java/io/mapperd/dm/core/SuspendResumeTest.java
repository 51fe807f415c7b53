package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuspendResumeTest extends TwoFilesFixture {
    @Test
    void suspendUnderConcurrentIoLosesAndFailsNothing() throws Exception {
        dm.create("s", null, "0 16384 linear " + a + " 0", false);
        MappedDevice md = dm.get("s");
        VerifyingWriters w = new VerifyingWriters(md, 4, 1000, (id, n) -> id * 4096L + (n % 512) * 8L);
        for (int round = 0; round < 5; round++) {
            int before = w.done.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> w.done.get() > before + 20);
            dm.suspend("s", false);
            assertEquals(0, md.inflight(), "suspend returned with I/O in flight");
            Thread.sleep(50);
            assertEquals(0, md.inflight(), "I/O dispatched while suspended");
            // a new table over the same data (split in two targets) so resume swaps tables
            dm.load("s", round % 2 == 0 ? "0 8192 linear " + a + " 0\n8192 8192 linear " + a + " 8192"
                    : "0 16384 linear " + a + " 0", false);
            dm.resume("s");
        }
        w.stop();
        assertTrue(w.errors.isEmpty(), () -> "errors: " + w.errors);
        assertTrue(w.done.get() > 100);
    }

    @Test
    void bioSubmittedWhileSuspendedWaitsAndCompletesAfterResume() throws Exception {
        dm.create("w", null, "0 16384 linear " + a + " 0", false);
        MappedDevice md = dm.get("w");
        dm.suspend("w", false);
        ByteBuffer data = TestFiles.pattern(4096, 9);
        CompletableFuture<Void> f = md.submit(Bio.write(0, data, 0));
        Thread.sleep(100);
        assertFalse(f.isDone(), "a bio must wait while the device is suspended");
        dm.resume("w");
        f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(data.rewind(), TestFiles.readFile(a, 0, 4096));
    }

    @Test
    void suspendWaitsForInFlightBiosToDrain() throws Exception {
        Gate gate = new Gate();
        dm.targets().register(gate.type());
        dm.create("g", null, "0 8 gate", false);
        MappedDevice md = dm.get("g");
        CompletableFuture<Void> held = md.submit(Bio.read(0, ByteBuffer.allocateDirect(4096)));
        CompletableFuture<Void> suspend = CompletableFuture.runAsync(() -> {
            try {
                dm.suspend("g", false);
            } catch (DmException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(suspend.isDone(), "suspend must wait for the in-flight bio");
        gate.open();
        suspend.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(held.isDone() && !held.isCompletedExceptionally());
        dm.resume("g");
    }

    @Test
    void noflushSuspendRequeuesHeldBiosAndTheyCompleteOnTheNewTable() throws Exception {
        Gate gate = new Gate();
        dm.targets().register(gate.type());
        dm.create("q", null, "0 16384 gate", false);
        MappedDevice md = dm.get("q");
        ByteBuffer data = TestFiles.pattern(4096, 4);
        CompletableFuture<Void> held = md.submit(Bio.write(8, data, 0));
        dm.suspend("q", true); // the gate hands its bio back for requeue: no waiting
        assertFalse(held.isDone(), "a requeued bio neither completes nor fails during suspend");
        dm.load("q", "0 16384 linear " + a + " 0", false);
        dm.resume("q");
        held.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(data.rewind(), TestFiles.readFile(a, 8 * 512, 4096));
    }

    @Test
    void resumeWithoutNewTableOnlyResumes() throws Exception {
        dm.create("r", null, "0 8 zero", false);
        Table t = dm.get("r").activeTable();
        dm.suspend("r", false);
        assertTrue(dm.get("r").suspended());
        dm.resume("r");
        assertFalse(dm.get("r").suspended());
        assertEquals(t, dm.get("r").activeTable());
    }

    @Test
    void reloadOfLiveDeviceSwapsAtomicallyUnderIo() throws Exception {
        dm.create("l", null, "0 16384 linear " + a + " 0", false);
        dm.load("l", "0 16384 linear " + b + " 0", false);
        ByteBuffer before = TestFiles.pattern(512, 1);
        dm.get("l").submit(Bio.write(0, before, 0)).join();
        dm.resume("l");
        ByteBuffer after = TestFiles.pattern(512, 2);
        dm.get("l").submit(Bio.write(0, after, 0)).join();
        assertEquals(before.rewind(), TestFiles.readFile(a, 0, 512));
        assertEquals(after.rewind(), TestFiles.readFile(b, 0, 512));
    }

    /** A test target that holds bios until opened; with a noflush presuspend it requeues them. */
    static final class Gate {
        private final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final ConcurrentLinkedQueue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();

        void open() {
            opened.complete(null);
        }

        TargetType type() {
            return new TestTargetType("gate", (ctx, args) -> new Target() {
                @Override
                public CompletableFuture<Void> map(Bio bio) {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    held.add(f);
                    opened.thenRun(() -> f.complete(null));
                    return f;
                }

                @Override
                public void presuspend(boolean noflush) {
                    if (noflush) {
                        CompletableFuture<Void> f;
                        while ((f = held.poll()) != null) {
                            f.completeExceptionally(new BioException(BlkStatus.DM_REQUEUE, "requeue"));
                        }
                    }
                }

                @Override
                public String status(StatusType type) {
                    return "";
                }
            });
        }
    }

}
