package io.mapperd.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The options a table's device URL may carry after {@code ?}: {@code timeout_ms=N}, the transport's
 * I/O timeout (how long a silent path takes to be failed), 100..600000 milliseconds. Anything else
 * is refused by name, so a typo does not pass silently.
 *
 * @param base      the URL without its options
 * @param timeout   the I/O timeout asked for, if any
 */
public record DeviceUrlOptions(String base, Optional<Duration> timeout) {
    public static final String TIMEOUT_MS = "timeout_ms";

    public static DeviceUrlOptions parse(String url) throws IOException {
        int q = url.indexOf('?');
        if (q < 0) {
            return new DeviceUrlOptions(url, Optional.empty());
        }
        Optional<Duration> timeout = Optional.empty();
        for (String kv : url.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            if (!key.equals(TIMEOUT_MS)) {
                throw new IOException(url + ": unknown option '" + key + "' (known: " + TIMEOUT_MS + ")");
            }
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            long ms;
            try {
                ms = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IOException(url + ": " + TIMEOUT_MS + " '" + v + "' is not a number of milliseconds");
            }
            if (ms < 100 || ms > 600_000) {
                throw new IOException(url + ": " + TIMEOUT_MS + " " + ms + " outside 100..600000");
            }
            timeout = Optional.of(Duration.ofMillis(ms));
        }
        return new DeviceUrlOptions(url.substring(0, q), timeout);
    }
}
