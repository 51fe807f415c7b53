package io.mapperd.dm.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Backing files and byte patterns for dm-core tests. */
public final class TestFiles {
    private TestFiles() {
    }

    public static Path sized(Path dir, String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    public static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++) {
            b.put((byte) (seed * 31 + i * 7 + (i >>> 9)));
        }
        return b.flip();
    }

    public static ByteBuffer readFile(Path p, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(len);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    break;
                }
            }
            return b.flip();
        }
    }
}
