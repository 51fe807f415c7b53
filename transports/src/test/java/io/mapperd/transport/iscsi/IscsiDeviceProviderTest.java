package io.mapperd.transport.iscsi;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.dm.io.DevT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables naming iscsi:// devices over tgtd: login on first use, one shared session, logout on last release. */
class IscsiDeviceProviderTest {
    static final String IQN = "iqn.2026-01.io.mapperd.test:provider";

    @TempDir
    static Path dir;
    static Tgtd tgtd;
    static Path backing;

    @BeforeAll
    static void start() throws Exception {
        tgtd = Tgtd.start(dir);
        backing = dir.resolve("p.img");
        tgtd.target(1, IQN, backing, 64 << 20);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void twoTablesShareOneSessionWhichLogsOutWithTheLast() throws Exception {
        IscsiDeviceProvider provider = new IscsiDeviceProvider(SessionConfig.defaults());
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.addProvider(provider);
            String url = tgtd.url(IQN, 1);
            MappedDevice a = dm.create("isc-a", "", "0 65536 linear " + url + " 0", false);
            MappedDevice b = dm.create("isc-b", "", "0 65536 linear " + url + " 65536", false);
            assertEquals(1, provider.sessions().size());
            IscsiSession s = provider.sessions().get(0);
            DevT dev = a.activeTable().devices().get(0).devT();
            assertEquals(IscsiDeviceProvider.SD_MAJOR, dev.major());
            assertEquals(url, a.activeTable().devices().get(0).device().name());

            ByteBuffer data = TgtdInitiatorTest.pattern(1 << 20, 5);
            b.submit(Bio.write(8, data, Bio.FUA)).get(20, TimeUnit.SECONDS);
            try (FileChannel ch = FileChannel.open(backing, StandardOpenOption.READ)) {
                ByteBuffer got = ByteBuffer.allocate(1 << 20);
                ch.read(got, (65536L + 8) * 512);
                assertEquals(TgtdInitiatorTest.pattern(1 << 20, 5), got.flip());
            }
            ByteBuffer back = ByteBuffer.allocateDirect(1 << 20);
            b.submit(Bio.read(8, back)).get(20, TimeUnit.SECONDS);
            assertEquals(TgtdInitiatorTest.pattern(1 << 20, 5), back);

            dm.remove("isc-a", false, false);
            assertEquals(IscsiSession.State.LOGGED_IN, s.state());
            dm.remove("isc-b", false, false);
            assertTrue(provider.sessions().isEmpty());
            assertEquals(IscsiSession.State.CLOSED, s.state());
        }
    }

    @Test
    void anUnknownTargetFailsTheLoadWithTheTargetsWords() throws Exception {
        IscsiDeviceProvider p = new IscsiDeviceProvider(SessionConfig.defaults());
        String url = tgtd.url("iqn.2026-01.nope:none", 1);
        var io = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> p.open(url, false));
        assertTrue(io.getMessage().contains("target not found"), io.getMessage());
        try (DeviceMapper dm = new DeviceMapper()) {
            dm.addProvider(p);
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.mapperd.dm.core.DmException.class,
                    () -> dm.create("isc-x", "", "0 8 linear " + url + " 0", false));
            assertTrue(e.getMessage().contains("Device lookup failed"), e.getMessage());
            assertTrue(dm.list().isEmpty());
        }
    }
}
