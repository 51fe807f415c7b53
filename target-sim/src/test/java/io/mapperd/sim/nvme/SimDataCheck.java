package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Pattern write/read/verify with many bios in flight, and failure assertions. */
final class SimDataCheck {
    private SimDataCheck() {
    }

    static ByteBuffer pattern(int total, long seed) {
        ByteBuffer src = ByteBuffer.allocateDirect(total);
        Random r = new Random(seed);
        byte[] chunk = new byte[4096];
        while (src.hasRemaining()) {
            r.nextBytes(chunk);
            src.put(chunk, 0, Math.min(chunk.length, src.remaining()));
        }
        return src.flip();
    }

    static void writeReadVerify(BlockDevice dev, long startSector, int total, int bioSize, int inFlight, long seed) throws Exception {
        ByteBuffer src = pattern(total, seed);
        run(dev, startSector, src, bioSize, inFlight, true);
        dev.submit(Bio.flush()).get(30, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocateDirect(total);
        run(dev, startSector, back, bioSize, inFlight, false);
        int mismatch = src.mismatch(back);
        assertEquals(-1, mismatch, "data read back differs at byte " + mismatch);
    }

    static void run(BlockDevice dev, long startSector, ByteBuffer buf, int bioSize, int inFlight, boolean write) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int off = 0; off < buf.capacity(); off += bioSize) {
            slots.acquire();
            ByteBuffer part = buf.slice(off, Math.min(bioSize, buf.capacity() - off));
            long sector = startSector + (off >>> Bio.SECTOR_SHIFT);
            CompletableFuture<Void> f = dev.submit(write ? Bio.write(sector, part, 0) : Bio.read(sector, part));
            f.whenComplete((v, e) -> slots.release());
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
    }

    static BioException fails(CompletableFuture<?> f, BlkStatus status, String messagePart) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            BioException b = BioException.of(e.getCause());
            assertEquals(status, b.status(), "status of: " + b.getMessage());
            assertTrue(b.getMessage().contains(messagePart), "'" + b.getMessage() + "' should name '" + messagePart + "'");
            return b;
        }
        fail("expected a " + status + " failure");
        return null;
    }
}
