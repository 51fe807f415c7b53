package io.mapperd.dm.targets;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A property test, as seeded randomised JUnit runs: random tables of linear, striped and zero
 * segments over files; random writes, write-zeroes and reads through the mapped device, checked
 * against a simple model that says for every device sector which file sector holds it (or that it
 * reads as zeroes). The files themselves are compared with the model at the end.
 * The seed is in each run's name; {@code -Dmapperd.seed=N} repeats a run. Beside the core's
 * TableModelPropertyTest this one also sends write-zeroes (cut per stripe) and FUA writes, and keeps
 * every area on its own file region so the files can be compared with the model byte for byte.
 */
class SectorModelPropertyTest extends TargetBenchFixture {
    private static final int FILES = 3;
    private static final int FILE_SECTORS = 512;
    private static final int RUNS = 40;
    private static final int OPS = 40;

    static LongStream seeds() {
        Long fixed = Long.getLong("mapperd.seed");
        if (fixed != null) {
            return LongStream.of(fixed);
        }
        long base = new Random().nextLong();
        return LongStream.range(0, RUNS).map(i -> base + i * 0x9E3779B97F4A7C15L);
    }

    /** Where a device sector lives: file index and sector, or file -1 for zero. */
    private record Place(int file, long sector) {
        static final Place ZERO = new Place(-1, 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsAndWritesThroughRandomTablesMatchTheModel(long seed) throws Exception {
        Random rnd = new Random(seed);
        Path[] files = new Path[FILES];
        byte[][] model = new byte[FILES][FILE_SECTORS * 512];
        for (int f = 0; f < FILES; f++) {
            files[f] = bench.file("f" + f + ".img", FILE_SECTORS * 512L);
            rnd.nextBytes(model[f]);
            TargetBench.writeFile(files[f], 0, ByteBuffer.wrap(model[f]));
        }
        List<Place> places = new ArrayList<>();
        String table = randomTable(rnd, files, places);
        MappedDevice md = bench.create("p", table);
        int size = places.size();
        for (int op = 0; op < OPS; op++) {
            int start = rnd.nextInt(size);
            int len = 1 + rnd.nextInt(Math.min(48, size - start));
            int kind = rnd.nextInt(10);
            if (kind < 5) {
                byte[] data = new byte[len * 512];
                rnd.nextBytes(data);
                ByteBuffer buf = ByteBuffer.allocateDirect(data.length).put(data).flip();
                md.submit(Bio.write(start, buf, rnd.nextInt(4) == 0 ? Bio.FUA : 0)).join();
                for (int s = 0; s < len; s++) {
                    Place p = places.get(start + s);
                    if (p.file() >= 0) {
                        System.arraycopy(data, s * 512, model[p.file()], (int) p.sector() * 512, 512);
                    }
                }
            } else if (kind < 6) {
                md.submit(Bio.writeZeroes(start, len * 512L, 0)).join();
                for (int s = 0; s < len; s++) {
                    Place p = places.get(start + s);
                    if (p.file() >= 0) {
                        Arrays.fill(model[p.file()], (int) p.sector() * 512, (int) p.sector() * 512 + 512, (byte) 0);
                    }
                }
            } else {
                ByteBuffer got = TargetBench.read(md, start, len * 512);
                byte[] actual = new byte[len * 512];
                got.get(actual);
                byte[] expected = new byte[len * 512];
                for (int s = 0; s < len; s++) {
                    Place p = places.get(start + s);
                    if (p.file() >= 0) {
                        System.arraycopy(model[p.file()], (int) p.sector() * 512, expected, s * 512, 512);
                    }
                }
                assertArrayEquals(expected, actual, "read " + start + "+" + len + " of table\n" + table);
            }
        }
        md.submit(Bio.flush()).join();
        for (int f = 0; f < FILES; f++) {
            byte[] onDisk = new byte[FILE_SECTORS * 512];
            TargetBench.fileBytes(files[f], 0, onDisk.length).get(onDisk);
            assertArrayEquals(model[f], onDisk, "file " + f + " after the run, table\n" + table);
        }
    }

    /**
     * 1 to 5 segments. Every linear area and stripe takes its own region of a file, so no two
     * device sectors share a file sector (the model is then exact whatever order parts land in).
     */
    private static String randomTable(Random rnd, Path[] files, List<Place> places) {
        int[] cursor = new int[files.length];
        StringBuilder t = new StringBuilder();
        int segments = 1 + rnd.nextInt(5);
        for (int i = 0; i < segments; i++) {
            long begin = places.size();
            int kind = rnd.nextInt(3);
            String line = null;
            if (kind == 1) {
                int f = rnd.nextInt(files.length);
                int len = 1 + rnd.nextInt(96);
                int off = cursor[f] + rnd.nextInt(8);
                if (off + len <= FILE_SECTORS) {
                    cursor[f] = off + len;
                    line = begin + " " + len + " linear " + files[f] + " " + off;
                    for (int s = 0; s < len; s++) {
                        places.add(new Place(f, off + s));
                    }
                }
            } else if (kind == 2) {
                line = randomStriped(rnd, files, cursor, places, begin);
            }
            if (line == null) {
                int len = 1 + rnd.nextInt(64);
                line = begin + " " + len + " zero";
                for (int s = 0; s < len; s++) {
                    places.add(Place.ZERO);
                }
            }
            t.append(line).append('\n');
        }
        return t.toString();
    }

    private static String randomStriped(Random rnd, Path[] files, int[] cursor, List<Place> places, long begin) {
        int k = 1 + rnd.nextInt(3);
        int chunk = new int[] {1, 2, 3, 4, 8, 16}[rnd.nextInt(6)];
        int width = chunk * (1 + rnd.nextInt(6));
        int[] file = new int[k];
        int[] off = new int[k];
        int[] next = cursor.clone();
        for (int i = 0; i < k; i++) {
            file[i] = rnd.nextInt(files.length);
            off[i] = next[file[i]] + rnd.nextInt(4);
            if (off[i] + width > FILE_SECTORS) {
                return null;
            }
            next[file[i]] = off[i] + width;
        }
        System.arraycopy(next, 0, cursor, 0, cursor.length);
        StringBuilder line = new StringBuilder(begin + " " + (long) k * width + " striped " + k + " " + chunk);
        for (int i = 0; i < k; i++) {
            line.append(' ').append(files[file[i]]).append(' ').append(off[i]);
        }
        // the model: chunk n of the segment is on stripe n mod k, at chunk n / k of that stripe
        for (int s = 0; s < k * width; s++) {
            int n = s / chunk;
            int stripe = n % k;
            places.add(new Place(file[stripe], off[stripe] + (long) (n / k) * chunk + s % chunk));
        }
        return line.toString();
    }
}
