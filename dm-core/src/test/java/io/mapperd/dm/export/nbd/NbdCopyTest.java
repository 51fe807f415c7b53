package io.mapperd.dm.export.nbd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** nbdcopy: a 256 MiB random image into the export and back out, with one and with four connections. */
class NbdCopyTest {
    private static final long SIZE = 256L << 20;
    private static final Duration T = Duration.ofMinutes(3);
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void start() throws Exception {
        Tools.require("nbdcopy");
        fx = new NbdFixture(dir);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    static void randomFile(Path p, long size, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += b.capacity()) {
                b.clear();
                while (b.hasRemaining()) {
                    b.putLong(rnd.nextLong());
                }
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private void roundTrip(String export, String... connections) throws Exception {
        Path src = dir.resolve(export + "-src.img");
        Path back = dir.resolve(export + "-out.img");
        randomFile(src, SIZE, export.hashCode());
        fx.linear(export, SIZE, false);
        java.util.List<String> in = new java.util.ArrayList<>(java.util.List.of("nbdcopy"));
        in.addAll(java.util.List.of(connections));
        in.addAll(java.util.List.of(src.toString(), fx.uri(export)));
        Tools.run(T, in).ok("nbdcopy in");
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("nbdcopy"));
        out.addAll(java.util.List.of(connections));
        out.addAll(java.util.List.of(fx.uri(export), back.toString()));
        Tools.run(T, out).ok("nbdcopy out");
        String want = sha256(src);
        assertEquals(want, sha256(fx.backing(export)), "backing file of " + export);
        assertEquals(want, sha256(back), "image copied back out of " + export);
    }

    @Test
    void randomImageInAndOutUnchanged() throws Exception {
        roundTrip("one", "--connections=1");
    }

    @Test
    void fourConnectionsWithMultiConn() throws Exception {
        Tools.require("nbdinfo");
        fx.linear("probe", 1 << 20, false);
        String info = Tools.run(Duration.ofSeconds(30), "nbdinfo", fx.uri("probe")).ok("nbdinfo").out();
        org.junit.jupiter.api.Assertions.assertTrue(info.contains("can_multi_conn: true"), info);
        roundTrip("four", "--connections=4", "--requests=16");
    }
}
