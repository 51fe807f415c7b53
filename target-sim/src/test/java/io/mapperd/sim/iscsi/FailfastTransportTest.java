package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mapperd.sim.iscsi.SimFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While a session reconnects, a bio marked FAILFAST_TRANSPORT (multipath marks its bios so) fails
 * at once with a transport error; an unmarked one waits for the session and completes.
 */
class FailfastTransportTest {
    @Test
    void aFailfastBioFailsAtOnceWhileTheSessionReconnectsAndAPlainOneWaitsForIt(@TempDir Path dir) throws Exception {
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            IscsiLun lun = SimFixture.open(sim, 0, InitiatorFaultTest.fast());
            SimPortal p = sim.portals().get(0);
            try {
                p.down();
                long end = System.nanoTime() + 10_000_000_000L;
                while (lun.session().state() != IscsiSession.State.RECOVERING && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                assertEquals(IscsiSession.State.RECOVERING, lun.session().state());

                long t0 = System.nanoTime();
                CompletableFuture<Void> fast = lun.submit(Bio.write(0, ByteBuffer.allocateDirect(4096), Bio.FAILFAST_TRANSPORT));
                ExecutionException e = assertThrows(ExecutionException.class, () -> fast.get(1, TimeUnit.SECONDS));
                assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(e.getCause()), e.getCause().toString());
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms < 500, "failed without waiting for the session; took " + ms + " ms");

                ByteBuffer data = SimAluaTest.pattern(4096, 5);
                CompletableFuture<Void> plain = lun.submit(Bio.write(8, data, 0));
                Thread.sleep(300);
                assertTrue(!plain.isDone(), "a plain bio waits for the session to come back");
                p.up();
                plain.get(10, TimeUnit.SECONDS);
                ByteBuffer back = ByteBuffer.allocateDirect(4096);
                get(lun.submit(Bio.read(8, back)));
                assertEquals(SimAluaTest.pattern(4096, 5), back);
            } finally {
                lun.session().close();
            }
        }
    }
}
