package io.mapperd.hwhandlers;

import io.mapperd.checkers.SimSan;
import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.core.StatusType;
import io.mapperd.dm.core.TargetException;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import io.mapperd.dm.io.FileBlockDevice;
import io.mapperd.dm.targets.multipath.HwHandlerRegistry;
import io.mapperd.dm.targets.multipath.PgInitResult;
import io.mapperd.sim.iscsi.SimConfig;
import io.mapperd.transport.iscsi.IscsiDeviceProvider;
import io.mapperd.transport.iscsi.IscsiLun;
import io.mapperd.transport.iscsi.scsi.AluaState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alua handler over target-sim: in a multipath table, directly, and with each of its outcomes. */
class AluaHandlerOverSimTest {
    @TempDir
    static Path dir;
    static SimSan san;

    @BeforeAll
    static void start() throws Exception {
        san = SimSan.start(dir);
    }

    @AfterAll
    static void stop() {
        if (san != null) {
            san.close();
        }
    }

    @AfterEach
    void reset() throws Exception {
        san.reset();
    }

    static ByteBuffer pattern(int bytes, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i += 4) {
            b.putInt(seed * 0x9e3779b9 + i * 31);
        }
        return b.flip();
    }

    static void writeAndVerify(MappedDevice m, long sector, int seed) throws Exception {
        m.submit(Bio.write(sector, pattern(256 << 10, seed), Bio.FUA)).get(20, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocateDirect(256 << 10);
        m.submit(Bio.read(sector, back)).get(20, TimeUnit.SECONDS);
        assertEquals(pattern(256 << 10, seed), back, "data read back through the map at sector " + sector);
    }

    @Test
    void switchGroupMakesTheHandlerSendStpgAndIoContinuesOnTheNewGroup() throws Exception {
        assertTrue(HwHandlerRegistry.global().create("alua").isPresent(), "alua is found as a service");
        try (DeviceMapper dm = new DeviceMapper(); IscsiDeviceProvider iscsi = new IscsiDeviceProvider(SimSan.quick())) {
            dm.addProvider(iscsi);
            long sectors = (64L << 20) >> 9;
            String table = "0 " + sectors + " multipath 0 1 alua 2 1 round-robin 0 1 1 " + san.url(0) + " 1 round-robin 0 1 1 "
                    + san.url(1) + " 1";
            MappedDevice m = dm.create("mpalua", "", table, false);
            writeAndVerify(m, 2048, 1);
            String tableLine = m.activeTable().lines(StatusType.TABLE).get(0);
            assertTrue(tableLine.contains(" 1 alua "), tableLine);
            assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state());

            dm.message("mpalua", 0, List.of("switch_group", "2"));
            writeAndVerify(m, 4096, 2);
            assertEquals(AluaState.ACTIVE_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state(), "STPG made group 17 active/optimized");
            assertEquals(1, san.sim().group(SimSan.GROUP_B).statusCode(), "altered by SET TARGET PORT GROUPS");
            String info = m.activeTable().lines(StatusType.INFO).get(0);
            assertTrue(info.matches("0 \\d+ multipath 2 0 \\d+ 0 2 2 E .* A .*"), "group 2 is the active one: " + info);
            // earlier data is still there, read through the new group
            ByteBuffer back = ByteBuffer.allocateDirect(256 << 10);
            m.submit(Bio.read(2048, back)).get(20, TimeUnit.SECONDS);
            assertEquals(pattern(256 << 10, 1), back);
            dm.remove("mpalua", false, false);
        }
    }

    @Test
    void aTransitioningGroupIsWaitedOutThenMadeOptimized() throws Exception {
        IscsiLun b = san.open(1);
        AluaHandler h = new AluaHandler();
        h.attach(b, List.of());
        san.state(SimSan.GROUP_B, AluaState.TRANSITIONING);
        long t0 = System.nanoTime();
        CompletableFuture<PgInitResult> f = h.pgInit(b);
        Thread.sleep(1000);
        assertFalse(f.isDone(), "pg_init waits while the group transitions");
        san.state(SimSan.GROUP_B, AluaState.STANDBY);
        assertEquals(PgInitResult.OK, f.get(20, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 1900, "the next RTPG comes 2 s after the transitioning one; took " + ms + " ms");
        assertEquals(AluaState.ACTIVE_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state(), "standby was then asked to become optimized");
    }

    @Test
    void anOptimizedGroupNeedsNoStpgAndAnOfflineOneIsOfflined() throws Exception {
        IscsiLun a = san.open(0);
        AluaHandler h = new AluaHandler();
        h.attach(a, List.of());
        assertEquals(PgInitResult.OK, h.pgInit(a).get(20, TimeUnit.SECONDS));
        assertTrue(san.sim().group(SimSan.GROUP_A).statusCode() != 1, "no STPG for an optimized group");
        san.state(SimSan.GROUP_A, AluaState.OFFLINE);
        assertEquals(PgInitResult.DEV_OFFLINED, h.pgInit(a).get(20, TimeUnit.SECONDS));
    }

    @Test
    void theOptimizeParameterSkipsStpgForANonPreferredNonOptimizedGroup() throws Exception {
        IscsiLun b = san.open(1);
        AluaHandler h = new AluaHandler();
        h.attach(b, List.of("1"));
        assertEquals(PgInitResult.OK, h.pgInit(b).get(20, TimeUnit.SECONDS));
        assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state());
        AluaHandler plain = new AluaHandler();
        plain.attach(b, List.of("0"));
        assertEquals(PgInitResult.OK, plain.pgInit(b).get(20, TimeUnit.SECONDS));
        assertEquals(AluaState.ACTIVE_OPTIMIZED, san.sim().group(SimSan.GROUP_B).state());
        TargetException bad = assertThrows(TargetException.class, () -> new AluaHandler().attach(b, List.of("7")));
        assertEquals("unable to set hardware handler parameters", bad.getMessage());
    }

    @Test
    void implicitOnlyAluaGetsNoStpg(@TempDir Path d2) throws Exception {
        try (SimSan implicit = SimSan.start(d2, SimConfig.AluaMode.IMPLICIT)) {
            IscsiLun b = implicit.open(1);
            AluaHandler h = new AluaHandler();
            h.attach(b, List.of());
            implicit.state(SimSan.GROUP_B, AluaState.STANDBY);
            assertEquals(PgInitResult.OK, h.pgInit(b).get(20, TimeUnit.SECONDS), "standby is usable as far as RTPG goes");
            assertEquals(AluaState.STANDBY, implicit.sim().group(SimSan.GROUP_B).state());
            assertEquals(2, implicit.sim().group(SimSan.GROUP_B).statusCode(), "only the operator changed it");
        }
    }

    @Test
    void aDeviceThatIsNotScsiCannotTakeTheHandler() throws Exception {
        Path f = dir.resolve("plain.img");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(1 << 20);
        }
        try (FileBlockDevice d = FileBlockDevice.open(f, false, new DevT(7, 3), 512)) {
            AluaHandler h = new AluaHandler();
            TargetException e = assertThrows(TargetException.class, () -> h.attach(d, List.of()));
            assertEquals("error attaching hardware handler", e.getMessage());
            assertEquals(PgInitResult.NOSYS, h.pgInit(d).get(5, TimeUnit.SECONDS), "scsi_dh_activate without a scsi_device");
        }
        try (DeviceMapper dm = new DeviceMapper()) {
            DmException e = assertThrows(DmException.class, () -> dm.create("mpfile", "",
                    "0 2048 multipath 0 1 alua 1 1 round-robin 0 1 1 " + f + " 1", false));
            assertTrue(e.getMessage().contains("error attaching hardware handler"), e.getMessage());
        }
    }
}
