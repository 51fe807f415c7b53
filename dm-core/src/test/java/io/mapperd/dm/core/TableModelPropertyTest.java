package io.mapperd.dm.core;

import io.mapperd.dm.io.Bio;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: for random tables of linear, striped and zero segments over files, every sector written
 * through the mapped device lands where a simple model says, and reads back as the model says.
 * Seeded per repetition so a failure names the seed that reproduces it (no property-test library:
 * see the parent pom).
 */
class TableModelPropertyTest {
    static final long FILE_SECTORS = 4096;
    static final int FILES = 3;

    /** Where one device sector lands: a file and a sector in it, or nowhere (zero target). */
    record Place(int file, long sector) {
    }

    /** A segment of the model: maps device-relative sectors to places. */
    interface Segment {
        long length();

        String line(List<Path> files);

        Place place(long rel);
    }

    record Linear(long length, int file, long offset) implements Segment {
        public String line(List<Path> files) {
            return "linear " + files.get(file) + " " + offset;
        }

        public Place place(long rel) {
            return new Place(file, offset + rel);
        }
    }

    record Zero(long length) implements Segment {
        public String line(List<Path> files) {
            return "zero";
        }

        public Place place(long rel) {
            return null;
        }
    }

    record Striped(long length, int chunk, int[] stripeFiles, long[] offsets) implements Segment {
        public String line(List<Path> files) {
            StringBuilder b = new StringBuilder("striped " + stripeFiles.length + " " + chunk);
            for (int i = 0; i < stripeFiles.length; i++) {
                b.append(' ').append(files.get(stripeFiles[i])).append(' ').append(offsets[i]);
            }
            return b.toString();
        }

        public Place place(long rel) {
            long chunkNo = rel / chunk;
            int stripe = (int) (chunkNo % stripeFiles.length);
            long sector = (chunkNo / stripeFiles.length) * chunk + rel % chunk;
            return new Place(stripeFiles[stripe], offsets[stripe] + sector);
        }
    }

    @TempDir
    Path dir;

    static boolean stripedAvailable() {
        return TargetRegistry.withBuiltins().find("striped").isPresent();
    }

    @RepeatedTest(40)
    void everySectorLandsWhereTheModelSays(RepetitionInfo rep) throws Exception {
        long seed = 0x5eed_0000L + rep.getCurrentRepetition();
        Random rnd = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(TestFiles.sized(dir, "f" + i + ".img", FILE_SECTORS * 512));
        }
        // Each file region is used by at most one segment so the model stays a function.
        long[] nextFree = new long[FILES];
        List<Segment> segs = new ArrayList<>();
        int n = 1 + rnd.nextInt(5);
        for (int s = 0; s < n; s++) {
            int kind = rnd.nextInt(stripedAvailable() ? 3 : 2);
            if (kind == 0) {
                int f = rnd.nextInt(FILES);
                long len = 8 * (1 + rnd.nextInt(64));
                if (nextFree[f] + len > FILE_SECTORS) {
                    continue;
                }
                segs.add(new Linear(len, f, nextFree[f]));
                nextFree[f] += len + rnd.nextInt(16);
            } else if (kind == 1) {
                segs.add(new Zero(8 * (1 + rnd.nextInt(32))));
            } else {
                int stripes = 1 + rnd.nextInt(FILES);
                int chunk = 8 << rnd.nextInt(4);
                long perStripe = chunk * (long) (1 + rnd.nextInt(4));
                int[] fs = new int[stripes];
                long[] offs = new long[stripes];
                boolean fits = true;
                for (int i = 0; i < stripes; i++) {
                    fs[i] = i;
                    offs[i] = nextFree[i];
                    fits &= nextFree[i] + perStripe <= FILE_SECTORS;
                }
                if (!fits) {
                    continue;
                }
                for (int i = 0; i < stripes; i++) {
                    nextFree[i] += perStripe;
                }
                segs.add(new Striped(perStripe * stripes, chunk, fs, offs));
            }
        }
        if (segs.isEmpty()) {
            segs.add(new Zero(8));
        }
        StringBuilder table = new StringBuilder();
        long start = 0;
        for (Segment s : segs) {
            table.append(start).append(' ').append(s.length()).append(' ').append(s.line(files)).append('\n');
            start += s.length();
        }
        long size = start;
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.create("p", null, table.toString(), false);
            MappedDevice md = dm.get("p");
            // random writes of 1..64 sectors anywhere, each sector tagged with its device sector
            for (int w = 0; w < 30; w++) {
                long at = rnd.nextLong(size);
                int len = (int) Math.min(size - at, 1 + rnd.nextInt(64));
                ByteBuffer buf = ByteBuffer.allocateDirect(len * 512);
                for (int i = 0; i < len; i++) {
                    for (int k = 0; k < 64; k++) {
                        buf.putLong(at + i);
                    }
                }
                md.submit(Bio.write(at, buf.flip(), 0)).join();
                for (int i = 0; i < len; i++) {
                    Place p = placeOf(segs, at + i);
                    if (p != null) {
                        long onDisk = TestFiles.readFile(files.get(p.file()), p.sector() * 512, 8).getLong();
                        assertEquals(at + i, onDisk, "seed " + seed + ": device sector " + (at + i)
                                + " should land on file " + p.file() + " sector " + p.sector() + "\n" + table);
                    }
                }
                ByteBuffer back = ByteBuffer.allocateDirect(len * 512);
                md.submit(Bio.read(at, back)).join();
                for (int i = 0; i < len; i++) {
                    long expect = placeOf(segs, at + i) == null ? 0 : at + i;
                    assertEquals(expect, back.getLong(i * 512), "seed " + seed + ": read back of sector " + (at + i) + "\n" + table);
                }
            }
        }
    }

    private static Place placeOf(List<Segment> segs, long sector) {
        long start = 0;
        for (Segment s : segs) {
            if (sector < start + s.length()) {
                return s.place(sector - start);
            }
            start += s.length();
        }
        throw new IllegalArgumentException("sector " + sector + " outside table");
    }
}
