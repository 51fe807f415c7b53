package io.mapperd.dm.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WriteLaneTest {
    @Test
    void runsTasksOneAtATimeInSubmissionOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            WriteLane lane = new WriteLane(pool);
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlap = new AtomicInteger();
            CompletableFuture<Void> last = new CompletableFuture<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                lane.execute(() -> {
                    if (running.incrementAndGet() > 1) {
                        overlap.incrementAndGet();
                    }
                    seen.add(n);
                    running.decrementAndGet();
                    if (n == 1999) {
                        last.complete(null);
                    }
                });
            }
            last.get(10, TimeUnit.SECONDS);
            assertEquals(0, overlap.get(), "tasks that ran at the same time");
            assertEquals(2000, seen.size());
            for (int i = 0; i < 2000; i++) {
                assertEquals(i, seen.get(i), "task at position " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLane() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            WriteLane lane = new WriteLane(pool);
            CompletableFuture<Void> after = new CompletableFuture<>();
            lane.execute(() -> {
                throw new IllegalStateException("boom");
            });
            lane.execute(() -> after.complete(null));
            after.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Many submitters at once: every write lands, in a regular file whose writes all go through the lane. */
    @Test
    void concurrentWritesToAFileAllLand(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.img");
        Files.write(file, new byte[4 << 20]);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try (FileBlockDevice dev = FileBlockDevice.open(file, false, new DevT(7, 1), 512)) {
            List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                jobs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 256; i++) {
                        int block = thread * 256 + i;
                        ByteBuffer b = ByteBuffer.allocateDirect(4096);
                        while (b.hasRemaining()) {
                            b.putInt(block);
                        }
                        b.flip();
                        int flags = i % 16 == 0 ? Bio.FUA : 0; // FUA writes run beside the lane
                        all.add(dev.submit(Bio.write((long) block << 3, b, flags)));
                    }
                }, submitters));
            }
            CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            ByteBuffer back = ByteBuffer.allocateDirect(4 << 20);
            dev.submit(Bio.read(0, back)).get(10, TimeUnit.SECONDS);
            for (int block = 0; block < 1024; block++) {
                for (int w = 0; w < 1024; w++) {
                    assertEquals(block, back.getInt(block * 4096 + w * 4), "block " + block);
                }
            }
        } finally {
            submitters.shutdownNow();
        }
    }
}
