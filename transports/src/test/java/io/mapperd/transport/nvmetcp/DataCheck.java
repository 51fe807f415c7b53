package io.mapperd.transport.nvmetcp;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BlockDevice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writes a seeded pattern to a device with many bios in flight, reads it back and compares. */
public final class DataCheck {
    private DataCheck() {
    }

    public static void writeReadVerify(BlockDevice dev, int total, int bioSize, int inFlight, long seed) throws Exception {
        ByteBuffer src = ByteBuffer.allocateDirect(total);
        Random r = new Random(seed);
        byte[] chunk = new byte[4096];
        while (src.hasRemaining()) {
            r.nextBytes(chunk);
            src.put(chunk, 0, Math.min(chunk.length, src.remaining()));
        }
        src.flip();
        run(dev, src, bioSize, inFlight, true);
        dev.submit(Bio.flush()).get(30, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocateDirect(total);
        run(dev, back, bioSize, inFlight, false);
        int mismatch = src.mismatch(back);
        assertEquals(-1, mismatch, "data read back differs at byte " + mismatch);
    }

    private static void run(BlockDevice dev, ByteBuffer buf, int bioSize, int inFlight, boolean write) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int off = 0; off < buf.capacity(); off += bioSize) {
            slots.acquire();
            ByteBuffer part = buf.slice(off, Math.min(bioSize, buf.capacity() - off));
            long sector = off >>> Bio.SECTOR_SHIFT;
            CompletableFuture<Void> f = dev.submit(write ? Bio.write(sector, part, 0) : Bio.read(sector, part));
            f.whenComplete((v, e) -> slots.release());
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
    }
}
