package io.mapperd.multipathd.metrics;

import java.net.InetSocketAddress;

/**
 * Where the daemon serves /metrics. {@code explicit} says the operator chose the address: then a
 * port already taken stops the daemon; with the default address it is logged and the daemon runs
 * on without metrics (storage comes first).
 *
 * @param enabled  false with --no-metrics
 * @param host     address to bind (loopback by default)
 * @param port     TCP port, 0 for an ephemeral one
 * @param explicit given on the command line
 */
public record MetricsOptions(boolean enabled, String host, int port, boolean explicit) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9477;
    public static final MetricsOptions DEFAULT = new MetricsOptions(true, DEFAULT_HOST, DEFAULT_PORT, false);
    public static final MetricsOptions DISABLED = new MetricsOptions(false, DEFAULT_HOST, DEFAULT_PORT, false);

    public MetricsOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port " + port + " is outside 0-65535");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("metrics address needs a host");
        }
    }

    /** HOST:PORT, [IPv6]:PORT, or :PORT (loopback). */
    public static MetricsOptions parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--metrics-address takes HOST:PORT, not " + spec);
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = DEFAULT_HOST;
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-address " + spec + ": port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-address " + spec + ": port is outside 0-65535");
        }
        return new MetricsOptions(true, host, port, true);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
