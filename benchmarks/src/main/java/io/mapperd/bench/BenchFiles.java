package io.mapperd.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Backing files for the dm-core benchmarks: in memory (/dev/shm) so the storage is not what is measured. */
final class BenchFiles {
    private BenchFiles() {
    }

    /** A new directory on /dev/shm, or in java.io.tmpdir where there is none. */
    static Path memoryDir(String prefix) throws IOException {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(base, prefix);
    }

    /** {@code p}, written with {@code bytes} of random data (every block allocated, none zero). */
    static Path randomFile(Path p, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(chunk);
            for (long o = 0; o < bytes; o += chunk.length) {
                f.write(chunk);
            }
        }
        return p;
    }

    /** Deletes {@code dir} and the files in it. */
    static void deleteDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
