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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Merging is opportunistic: it joins what one socket read batch holds, and a batch written in
     * one go usually, but not always, arrives in one (the kernel may wake the server after part of
     * it). So the batch is sent up to five times, each at fresh offsets: every write must land and be
     * replied to every time, and at least one batch must show its three contiguous writes as one bio.
     */
    @Test
    void contiguousWritesInOneReadBecomeOneBioAndEachIsRepliedTo() throws Exception {
        MappedDevice md = fx.linear("m", 1 << 20, false);
        Random rnd = new Random(3);
        boolean merged = false;
        for (int attempt = 0; attempt < 5 && !merged; attempt++) {
            long base = attempt * 131072L;
            byte[][] data = new byte[4][4096];
            for (byte[] d : data) {
                rnd.nextBytes(d);
            }
            long opsBefore = md.ioStats().ops(BioOp.WRITE);
            long bytesBefore = md.ioStats().bytes(BioOp.WRITE);
            try (RawNbdClient c = new RawNbdClient(fx.port())) {
                assertEquals(NbdProtocol.REP_ACK, c.go("m"));
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(batch);
                request(out, 1, base + 8192, data[0]);
                request(out, 2, base + 8192 + 4096, data[1]);
                request(out, 3, base + 8192 + 8192, data[2]);
                request(out, 4, base + 65536, data[3]); // not next to the others: a bio of its own
                c.out.write(batch.toByteArray());
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
                assertArrayEquals(data[i], fileBytes(f, base + 8192 + 4096L * i, 4096), "write " + (i + 1));
            }
            assertArrayEquals(data[3], fileBytes(f, base + 65536, 4096));
            long bios = md.ioStats().ops(BioOp.WRITE) - opsBefore;
            assertEquals(4 * 4096, md.ioStats().bytes(BioOp.WRITE) - bytesBefore);
            assertTrue(bios >= 2 && bios <= 4, bios + " bios for four writes");
            merged = bios == 2;
        }
        assertTrue(merged, "three contiguous writes in one batch never became one bio in five batches");
    }
}
