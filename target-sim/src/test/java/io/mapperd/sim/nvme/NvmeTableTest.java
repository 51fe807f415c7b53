package io.mapperd.sim.nvme;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.dm.core.DmException;
import io.mapperd.dm.core.MappedDevice;
import io.mapperd.dm.io.Bio;
import io.mapperd.transport.nvmetcp.NvmeTcpDeviceProvider;
import io.mapperd.transport.nvmetcp.NvmeTcpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables naming nvme+tcp:// namespaces, served by target-sim, with the controller shared between tables. */
class NvmeTableTest {
    SimFixture sim;
    DeviceMapper dm;
    NvmeTcpDeviceProvider provider;

    @BeforeEach
    void start() throws Exception {
        sim = new SimFixture();
        dm = new DeviceMapper();
        provider = new NvmeTcpDeviceProvider(NvmeTcpOptions.defaults().withIoQueues(2).withReconnect(Duration.ofMillis(200), Duration.ofSeconds(10)));
        dm.addProvider(provider);
    }

    @AfterEach
    void stop() throws Exception {
        dm.close();
        provider.close();
        sim.close();
    }

    String url(int portal, int nsid) {
        return "nvme+tcp://127.0.0.1:" + sim.portal(portal).getPort() + "/" + SimFixture.NQN + "/" + nsid;
    }

    @Test
    void linearTablesOverOneSharedController() throws Exception {
        MappedDevice a = dm.create("nva", null, "0 65536 linear " + url(1, 1) + " 0", false);
        MappedDevice b = dm.create("nvb", null, "0 8192 linear " + url(1, 1) + " 65536\n8192 8192 linear " + url(1, 2) + " 0", false);
        assertEquals(1, provider.controllerCount(), "one controller for both tables and both namespaces");
        assertEquals(1, sim.target.status().lines().filter(l -> l.startsWith("controller")).count());
        SimDataCheck.writeReadVerify(a, 0, 4 << 20, 128 << 10, 16, 11);
        SimDataCheck.writeReadVerify(b, 0, 8 << 20, 128 << 10, 16, 12);
        // b's first half lies right after a's 32 MiB on namespace 1: a's data is intact
        ByteBuffer back = ByteBuffer.allocateDirect(4 << 20);
        a.submit(Bio.read(0, back)).get(10, TimeUnit.SECONDS);
        assertEquals(-1, back.mismatch(SimDataCheck.pattern(4 << 20, 11)));
        assertEquals(url(1, 1), dm.get("nva").activeTable().devices().get(0).spec());
        assertEquals(259, dm.get("nva").activeTable().devices().get(0).devT().major());
        dm.remove("nva", false, false);
        assertEquals(1, provider.controllerCount());
        dm.remove("nvb", false, false);
        assertEquals(0, provider.controllerCount(), "the last table's release disconnects");
    }

    @Test
    void badUrlsFailTheLoadAndTheProviderSaysWhy() {
        String ctrlOnly = "nvme+tcp://127.0.0.1:" + sim.portal(1).getPort() + "/" + SimFixture.NQN;
        DmException e = assertThrows(DmException.class, () -> dm.create("bad", null, "0 8 linear " + ctrlOnly + " 0", false));
        assertTrue(e.getMessage().contains("Device lookup failed"), e.getMessage());
        assertTrue(dm.find("bad").isEmpty() || dm.find("bad").get().activeTable() == null);
        IOException why = assertThrows(IOException.class, () -> provider.open(ctrlOnly, false));
        assertTrue(why.getMessage().contains("names a controller, not a namespace"), why.getMessage());
        why = assertThrows(IOException.class, () -> provider.open("nvme+tcp://127.0.0.1:" + sim.portal(1).getPort() + "/nqn.2024-01.io.mapperd:nope/1", false));
        assertTrue(why.getMessage().contains("Connect Invalid Parameters"), why.getMessage());
        why = assertThrows(IOException.class, () -> provider.open(url(1, 9), false));
        assertTrue(why.getMessage().contains("namespace 9 is not active"), why.getMessage());
        why = assertThrows(IOException.class, () -> provider.open("nvme+tcp://127.0.0.1:1/" + SimFixture.NQN + "/x", false));
        assertTrue(why.getMessage().contains("namespace id 'x' is not a number"), why.getMessage());
        assertEquals(0, provider.controllerCount());
    }
}
