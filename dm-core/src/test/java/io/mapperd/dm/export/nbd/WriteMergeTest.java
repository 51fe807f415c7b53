package io.mapperd.dm.export.nbd;

import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.BioOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WriteMergeTest {
    @TempDir
    Path dir;
    NbdFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new NbdFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static void request(DataOutputStream out, long cookie, long offset, byte[] data) throws Exception {
        out.writeInt(NbdProtocol.REQUEST_MAGIC);
        out.writeShort(0);
        out.writeShort(NbdProtocol.CMD_WRITE);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt(data.length);
        out.write(data);
    }

    private static byte[] fileBytes(Path p, long offset, int len) throws Exception {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            ch.read(b, offset);
            return b.array();
        }
    }

    @Test
    void contiguousWritesInOneReadBecomeOneBioAndEachIsRepliedTo() throws Exception {
        MappedDevice md = fx.linear("m", 1 << 20, false);
        byte[][] data = new byte[4][4096];
        Random rnd = new Random(3);
        for (byte[] d : data) {
            rnd.nextBytes(d);
        }
        try (RawNbdClient c = new RawNbdClient(fx.port())) {
            assertEquals(NbdProtocol.REP_ACK, c.go("m"));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(batch);
            request(out, 1, 8192, data[0]);
            request(out, 2, 8192 + 4096, data[1]);
            request(out, 3, 8192 + 8192, data[2]);
            request(out, 4, 65536, data[3]); // not next to the others: a bio of its own
            c.out.write(batch.toByteArray()); // one segment on loopback: one read batch on the server
            c.out.flush();
            Set<Long> replied = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertEquals(0, r.error(), "cookie " + r.cookie());
                replied.add(r.cookie());
            }
            assertEquals(Set.of(1L, 2L, 3L, 4L), replied);
        }
        Path f = fx.backing("m");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(data[i], fileBytes(f, 8192 + 4096L * i, 4096), "write " + (i + 1));
        }
        assertArrayEquals(data[3], fileBytes(f, 65536, 4096));
        assertEquals(2, md.ioStats().ops(BioOp.WRITE), "three merged writes and one alone");
        assertEquals(4 * 4096, md.ioStats().bytes(BioOp.WRITE));
    }
}
