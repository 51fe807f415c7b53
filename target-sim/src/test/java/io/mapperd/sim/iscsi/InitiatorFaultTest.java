package io.mapperd.sim.iscsi;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.IscsiSession;
import io.mapperd.transport.iscsi.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mapperd.sim.iscsi.SimFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path failures injected by target-sim, as the initiator must see them: typed, bounded in time, recovered. */
class InitiatorFaultTest {
    static SessionConfig fast() {
        return SessionConfig.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofMillis(300), Duration.ofMillis(500),
                Duration.ofSeconds(3));
    }

    @Test
    void aConnectionResetMidWriteFailsTheWritesAsTransportErrorsAndTheSessionReconnects(@TempDir Path dir) throws Exception {
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            IscsiLun lun = SimFixture.open(sim, 0, fast());
            SimPortal p = sim.portals().get(0);
            try {
                p.delay(300);
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    writes.add(lun.submit(Bio.write(i * 2048L, SimAluaTest.pattern(1 << 20, i), 0)));
                }
                Thread.sleep(100);
                p.reset();
                int failed = 0;
                for (CompletableFuture<Void> w : writes) {
                    try {
                        w.get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(e.getCause()), e.getCause().toString());
                        failed++;
                    }
                }
                assertTrue(failed > 0, "the reset came while writes were in flight");
                p.delay(0);
                long end = System.nanoTime() + 10_000_000_000L;
                while (lun.session().state() != IscsiSession.State.LOGGED_IN && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertEquals(IscsiSession.State.LOGGED_IN, lun.session().state(), lun.session().lastError());
                assertTrue(lun.session().reconnects() >= 1);
                get(lun.submit(Bio.write(0, SimAluaTest.pattern(65536, 77), Bio.FUA)));
                ByteBuffer back = ByteBuffer.allocateDirect(65536);
                get(lun.submit(Bio.read(0, back)));
                assertEquals(SimAluaTest.pattern(65536, 77), back);
            } finally {
                lun.session().close();
            }
        }
    }

    @Test
    void aHungPortalIsFoundByTheNopOutTimeoutAndFailsOutstandingIoAsATransportError(@TempDir Path dir) throws Exception {
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            IscsiLun lun = SimFixture.open(sim, 0, fast());
            SimPortal p = sim.portals().get(0);
            try {
                assertTrue(get(lun.ping(Duration.ofSeconds(1))) > 0);
                p.hang(true);
                ExecutionException ping = assertThrows(ExecutionException.class, () -> lun.ping(Duration.ofMillis(300)).get(5, TimeUnit.SECONDS));
                assertEquals(BlkStatus.TIMEOUT, BioException.statusOf(ping.getCause()));
                long t0 = System.nanoTime();
                CompletableFuture<Void> read = lun.submit(Bio.read(0, ByteBuffer.allocate(4096)));
                ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                BlkStatus st = BioException.statusOf(e.getCause());
                assertTrue(st.isPathError(), st + ": " + e.getCause());
                assertTrue(ms < 5000, "found in " + ms + " ms, well before the 20 s command timeout");
                assertTrue(lun.session().lastError().contains("NOP-Out timed out"), lun.session().lastError());
                p.hang(false);
                long end = System.nanoTime() + 10_000_000_000L;
                while (lun.session().state() != IscsiSession.State.LOGGED_IN && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertEquals(IscsiSession.State.LOGGED_IN, lun.session().state());
                get(lun.submit(Bio.read(0, ByteBuffer.allocate(4096))));
            } finally {
                lun.session().close();
            }
        }
    }

    @Test
    void aPortalThatGoesDownFailsFastAfterTheReplacementTimeoutAndComesBack(@TempDir Path dir) throws Exception {
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            IscsiLun lun = SimFixture.open(sim, 1, fast());
            SimPortal p = sim.portals().get(1);
            try {
                p.down();
                long until = System.nanoTime() + 5_000_000_000L;
                while (lun.session().state() != IscsiSession.State.RECOVERING && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertEquals(IscsiSession.State.RECOVERING, lun.session().state());
                long t0 = System.nanoTime();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> lun.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(10, TimeUnit.SECONDS));
                assertEquals(BlkStatus.TRANSPORT, BioException.statusOf(e.getCause()));
                assertTrue((System.nanoTime() - t0) / 1_000_000 < 6000);
                long t1 = System.nanoTime();
                assertThrows(ExecutionException.class, () -> lun.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(10, TimeUnit.SECONDS));
                assertTrue((System.nanoTime() - t1) / 1_000_000 < 1000, "fails fast once the replacement timeout has passed");
                p.up();
                long end = System.nanoTime() + 10_000_000_000L;
                while (lun.session().state() != IscsiSession.State.LOGGED_IN && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                get(lun.submit(Bio.read(0, ByteBuffer.allocate(4096))));
            } finally {
                lun.session().close();
            }
        }
    }

    @Test
    void abortTaskAndLogicalUnitResetAreAnswered(@TempDir Path dir) throws Exception {
        try (IscsiTargetSim sim = SimFixture.start(dir)) {
            IscsiLun lun = SimFixture.open(sim, 0, fast());
            try {
                assertEquals(1, get(lun.session().abortTask(1, 0x7777)), "TASK DOES NOT EXIST for an unknown tag");
                assertEquals(0, get(lun.session().logicalUnitReset(1)));
                // The reset leaves a UNIT ATTENTION, which the LUN's commands retry through.
                get(lun.submit(Bio.read(0, ByteBuffer.allocate(4096))));
            } finally {
                lun.session().close();
            }
        }
    }
}
