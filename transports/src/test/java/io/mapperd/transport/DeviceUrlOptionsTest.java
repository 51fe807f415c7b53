package io.mapperd.transport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceUrlOptionsTest {
    @Test
    void aUrlWithoutOptionsIsItself() throws IOException {
        assertEquals(new DeviceUrlOptions("iscsi://127.0.0.1:3260/iqn.x/1", Optional.empty()),
                DeviceUrlOptions.parse("iscsi://127.0.0.1:3260/iqn.x/1"));
    }

    @Test
    void timeoutMsIsTheIoTimeout() throws IOException {
        DeviceUrlOptions o = DeviceUrlOptions.parse("nvme+tcp://127.0.0.1:4420/nqn.2026-01.x:y/1?timeout_ms=1000");
        assertEquals("nvme+tcp://127.0.0.1:4420/nqn.2026-01.x:y/1", o.base());
        assertEquals(Optional.of(Duration.ofSeconds(1)), o.timeout());
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertEquals("iscsi://h/iqn.x/1?timeout=5: unknown option 'timeout' (known: timeout_ms)",
                assertThrows(IOException.class, () -> DeviceUrlOptions.parse("iscsi://h/iqn.x/1?timeout=5")).getMessage());
        assertEquals("iscsi://h/iqn.x/1?timeout_ms=1s: timeout_ms '1s' is not a number of milliseconds",
                assertThrows(IOException.class, () -> DeviceUrlOptions.parse("iscsi://h/iqn.x/1?timeout_ms=1s")).getMessage());
        assertEquals("iscsi://h/iqn.x/1?timeout_ms=10: timeout_ms 10 outside 100..600000",
                assertThrows(IOException.class, () -> DeviceUrlOptions.parse("iscsi://h/iqn.x/1?timeout_ms=10")).getMessage());
    }
}
