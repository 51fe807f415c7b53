package io.mapperd.multipathd.metrics;

import io.mapperd.dm.core.DeviceMapper;
import io.mapperd.multipathd.DaemonOptions;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --metrics-address and --no-metrics, and what a taken port does. */
class MetricsOptionsTest {
    @Test
    void theDefaultIsLoopbackPort9477() {
        MetricsOptions m = DaemonOptions.parse(List.of()).metrics();
        assertEquals(new MetricsOptions(true, "127.0.0.1", 9477, false), m);
    }

    @Test
    void anAddressIsHostColonPort() {
        assertEquals(new MetricsOptions(true, "0.0.0.0", 9100, true),
                DaemonOptions.parse(List.of("--metrics-address", "0.0.0.0:9100")).metrics());
        assertEquals(new MetricsOptions(true, "::1", 0, true), MetricsOptions.parse("[::1]:0"));
        assertEquals(new MetricsOptions(true, "127.0.0.1", 9500, true), MetricsOptions.parse(":9500"));
        assertFalse(DaemonOptions.parse(List.of("--no-metrics")).metrics().enabled());
    }

    @Test
    void badAddressesAreRefusedByName() {
        assertEquals("--metrics-address takes HOST:PORT, not localhost",
                assertThrows(IllegalArgumentException.class, () -> MetricsOptions.parse("localhost")).getMessage());
        assertEquals("--metrics-address 127.0.0.1:http: port is not a number",
                assertThrows(IllegalArgumentException.class, () -> MetricsOptions.parse("127.0.0.1:http")).getMessage());
        assertEquals("--metrics-address 127.0.0.1:70000: port is outside 0-65535",
                assertThrows(IllegalArgumentException.class, () -> MetricsOptions.parse("127.0.0.1:70000")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DaemonOptions.parse(List.of("--metrics-address")))
                .getMessage().startsWith("--metrics-address needs a value"));
    }

    @Test
    void aTakenPortStopsTheDaemonOnlyWhenTheAddressWasGiven() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DeviceMapper dm = new DeviceMapper()) {
            int port = taken.getLocalPort();
            try (Metrics m = new Metrics(dm, "test")) {
                UncheckedIOException e = assertThrows(UncheckedIOException.class,
                        () -> m.start(new MetricsOptions(true, "127.0.0.1", port, true)));
                assertTrue(e.getMessage().startsWith("metrics: cannot listen on 127.0.0.1:" + port), e.getMessage());
            }
            try (Metrics m = new Metrics(dm, "test")) {
                m.start(new MetricsOptions(true, "127.0.0.1", port, false));
                assertTrue(m.address().isEmpty());
                assertTrue(m.scrape().contains("mapperd_build_info{version=\"test\",} 1.0"));
            }
        }
    }
}
