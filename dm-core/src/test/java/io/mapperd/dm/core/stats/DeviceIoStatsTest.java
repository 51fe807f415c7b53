package io.mapperd.dm.core.stats;

import io.mapperd.dm.core.DeviceMapperFixture;
import io.mapperd.dm.core.TestFiles;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioOp;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A mapped device accounts every completed bio once, by operation, and stops when told to. */
class DeviceIoStatsTest extends DeviceMapperFixture {
    private Path file(long bytes) throws Exception {
        return TestFiles.sized(dir, "a.img", bytes);
    }

    @Test
    void readsWritesAndFlushesAreCountedWithTheirBytesAndLatency() throws Exception {
        MappedDevice md = dm.create("lin", null, "0 2048 linear " + file(1 << 20) + " 0", false);
        for (int i = 0; i < 3; i++) {
            md.submit(Bio.write(i * 8L, ByteBuffer.allocate(4096), 0)).join();
        }
        md.submit(Bio.read(0, ByteBuffer.allocate(8192))).join();
        md.submit(Bio.flush()).join();
        IoStats s = md.ioStats();
        assertEquals(3, s.ops(BioOp.WRITE));
        assertEquals(3 * 4096, s.bytes(BioOp.WRITE));
        assertEquals(1, s.ops(BioOp.READ));
        assertEquals(8192, s.bytes(BioOp.READ));
        assertEquals(1, s.ops(BioOp.FLUSH));
        assertEquals(0, s.errors(BioOp.WRITE));
        long[] c = s.latency(BioOp.WRITE).cumulativeCounts();
        assertEquals(3, c[c.length - 1]);
    }

    @Test
    void failedBiosCountAsErrorsWithoutBytes() throws Exception {
        MappedDevice md = dm.create("err", null, "0 2048 error", false);
        assertThrows(CompletionException.class, () -> md.submit(Bio.read(0, ByteBuffer.allocate(512))).join());
        assertEquals(1, md.ioStats().ops(BioOp.READ));
        assertEquals(1, md.ioStats().errors(BioOp.READ));
        assertEquals(0, md.ioStats().bytes(BioOp.READ));
    }

    @Test
    void accountingOffLeavesTheCountersAlone() throws Exception {
        MappedDevice md = dm.create("lin", null, "0 2048 linear " + file(1 << 20) + " 0", false);
        md.setIoStatsEnabled(false);
        md.submit(Bio.write(0, ByteBuffer.allocate(4096), 0)).join();
        assertEquals(0, md.ioStats().ops(BioOp.WRITE));
        md.setIoStatsEnabled(true);
        md.submit(Bio.write(0, ByteBuffer.allocate(4096), 0)).join();
        assertEquals(1, md.ioStats().ops(BioOp.WRITE));
    }
}
