package io.mapperd.sim.nvme;

import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.BioException;
import io.mapperd.dm.io.BlkStatus;
import io.mapperd.dm.io.DevT;
import io.mapperd.transport.nvmetcp.ControllerListener;
import io.mapperd.transport.nvmetcp.ControllerState;
import io.mapperd.transport.nvmetcp.NvmeController;
import io.mapperd.transport.nvmetcp.NvmeNamespace;
import io.mapperd.transport.nvmetcp.NvmeStatus;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host under target-sim's per-portal faults. */
class SimFaultTest {
    static final NvmeTcpOptions OPTS = NvmeTcpOptions.defaults().withIoQueues(2).withQueueSize(64).withKato(Duration.ofSeconds(1))
            .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(30)).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));

    SimFixture sim;

    @BeforeEach
    void start() throws Exception {
        sim = new SimFixture(64 << 10, 8192);
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    @Test
    void resetMidWriteFailsInFlightCommandsAsTransportErrorsAndReconnects() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            BlockingQueue<ControllerState> states = new LinkedBlockingQueue<>();
            c.addListener(new ControllerListener() {
                @Override
                public void stateChanged(NvmeController ctrl, ControllerState state, String reason) {
                    states.add(state);
                }
            });
            sim.target.setFault(1, SimFault.parse("delay", "200")); // keep the writes in flight
            ByteBuffer data = SimDataCheck.pattern(16 << 20, 3);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int off = 0; off < data.capacity(); off += 256 << 10) {
                writes.add(ns.submit(Bio.write(off >>> 9, data.slice(off, 256 << 10), 0)));
            }
            Thread.sleep(50);
            sim.target.setFault(1, SimFault.parse("reset", null));
            int failed = 0;
            for (CompletableFuture<Void> w : writes) {
                try {
                    w.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    BlkStatus s = BioException.statusOf(e.getCause());
                    assertEquals(BlkStatus.TRANSPORT, s, e.getCause().getMessage());
                    assertTrue(s.isPathError());
                    failed++;
                }
            }
            assertTrue(failed > 0, "the reset should have caught writes in flight");
            assertEquals(ControllerState.RESETTING, states.poll(5, TimeUnit.SECONDS));
            sim.target.setFault(1, SimFault.NONE);
            assertEquals(ControllerState.LIVE, states.poll(5, TimeUnit.SECONDS));
            SimDataCheck.writeReadVerify(ns, 0, 16 << 20, 256 << 10, 32, 3);
        }
    }

    @Test
    void hangIsDetectedWithinTheKeepAliveTimeout() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
            c.addListener(new ControllerListener() {
                @Override
                public void stateChanged(NvmeController ctrl, ControllerState state, String reason) {
                    if (state == ControllerState.RESETTING) {
                        reasons.add(reason);
                    }
                }
            });
            sim.target.setFault(1, SimFault.parse("hang", null));
            long t0 = System.nanoTime();
            CompletableFuture<Void> stuck = ns.submit(Bio.read(0, ByteBuffer.allocate(4096)));
            String reason = reasons.poll(3, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertNotNull(reason, "hang not detected");
            assertTrue(reason.contains("Keep Alive"), reason);
            assertTrue(ms <= 1000 + 250, "detected after " + ms + " ms, KATO is 1000 ms");
            SimDataCheck.fails(stuck, BlkStatus.TRANSPORT, "");
            assertFalse(ns.keepAliveHealthy());
            sim.target.setFault(1, SimFault.NONE);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == ControllerState.LIVE);
            assertTrue(ns.keepAliveHealthy());
        }
    }

    @Test
    void withoutKeepAliveAHungCommandTimesOutAsAPathError() throws Exception {
        NvmeTcpOptions noKato = OPTS.withKato(Duration.ZERO).withTimeouts(Duration.ofMillis(800), Duration.ofSeconds(5));
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, noKato)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            sim.target.setFault(1, SimFault.parse("hang", null));
            long t0 = System.nanoTime();
            BioException e = SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TIMEOUT, "Read (command id");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(e.status().isPathError());
            assertTrue(ms >= 700 && ms < 3000, "timed out after " + ms + " ms, I/O timeout 800 ms");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.state() == ControllerState.RESETTING);
            sim.target.setFault(1, SimFault.NONE);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == ControllerState.LIVE);
            ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHostileTargetDuringIoNeverCrashesOrHangsTheHost() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            for (String how : List.of("garbage", "unknown-cid", "wrong-length", "huge-data", "short-read")) {
                BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
                ControllerListener l = new ControllerListener() {
                    @Override
                    public void stateChanged(NvmeController ctrl, ControllerState state, String reason) {
                        if (state == ControllerState.RESETTING) {
                            reasons.add(reason);
                        }
                    }
                };
                c.addListener(l);
                sim.target.setFault(1, SimFault.parse("hostile", how));
                List<CompletableFuture<Void>> reads = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    reads.add(ns.submit(Bio.read(i * 8L, ByteBuffer.allocate(4096))));
                }
                for (CompletableFuture<Void> r : reads) {
                    try {
                        r.get(5, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertTrue(BioException.statusOf(e.getCause()).isPathError(), how + ": " + e.getCause().getMessage());
                    }
                }
                if (how.equals("short-read")) {
                    // not a broken stream: each such read fails on its own, the connection stays
                    SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "completed after 0 of 4096 bytes");
                    assertEquals(ControllerState.LIVE, c.state());
                    sim.target.setFault(1, SimFault.NONE);
                    c.removeListener(l);
                    continue;
                }
                String reason = reasons.poll(5, TimeUnit.SECONDS);
                assertNotNull(reason, how + ": the controller was not reset");
                assertTrue(reason.contains("protocol error"), how + ": " + reason);
                sim.target.setFault(1, SimFault.NONE);
                await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == ControllerState.LIVE);
                c.removeListener(l);
                ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void delayedAnswersStillComplete() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            sim.target.setFault(1, SimFault.parse("delay", "300"));
            long t0 = System.nanoTime();
            ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300));
            assertEquals(ControllerState.LIVE, c.state());
        }
    }

    @Test
    void errorStatusesMapToDataOrPathErrors() throws Exception {
        try (NvmeController c = NvmeController.connect(sim.portal(1), SimFixture.NQN, OPTS)) {
            NvmeNamespace ns = c.namespace(1, new DevT(259, 0));
            sim.target.setFault(1, SimFault.parse("error", "0x281"));
            BioException medium = SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.MEDIUM, "Unrecovered Read Error");
            assertFalse(medium.status().isPathError());
            sim.target.setFault(1, SimFault.parse("error", "0x370"));
            assertTrue(SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.TRANSPORT, "Host Pathing Error").status().isPathError());
            sim.target.setFault(1, SimFault.parse("error", String.valueOf(NvmeStatus.INVALID_OPCODE)));
            SimDataCheck.fails(ns.submit(Bio.read(0, ByteBuffer.allocate(4096))), BlkStatus.NOTSUPP, "Invalid Command Opcode");
            sim.target.setFault(1, SimFault.NONE);
            ns.submit(Bio.read(0, ByteBuffer.allocate(4096))).get(5, TimeUnit.SECONDS);
            SimDataCheck.fails(ns.submit(Bio.read(ns.sizeSectors(), ByteBuffer.allocate(4096))), BlkStatus.IOERR, "beyond the end");
        }
    }
}
