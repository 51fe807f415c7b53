package io.mapperd.dm.export.nbd;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the NBD export listens. Port 0 takes an ephemeral port ({@link NbdServer#boundPort()}
 * tells which); {@code unixSocket}, when set, is served as well. {@code ioThreads} 0 means one event
 * loop per processor.
 */
public record NbdServerConfig(String address, int port, Path unixSocket, int ioThreads, Duration handshakeTimeout) {
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 10809;

    public NbdServerConfig {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("NBD listen address is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("NBD port " + port + " is out of range 0-65535");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("NBD ioThreads " + ioThreads + " is negative");
        }
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("NBD handshake timeout must be positive, not " + handshakeTimeout);
        }
    }

    public static NbdServerConfig defaults() {
        return new NbdServerConfig(DEFAULT_ADDRESS, DEFAULT_PORT, null, 0, Duration.ofSeconds(30));
    }

    public NbdServerConfig withAddress(String newAddress) {
        return new NbdServerConfig(newAddress, port, unixSocket, ioThreads, handshakeTimeout);
    }

    public NbdServerConfig withPort(int newPort) {
        return new NbdServerConfig(address, newPort, unixSocket, ioThreads, handshakeTimeout);
    }

    public NbdServerConfig withUnixSocket(Path path) {
        return new NbdServerConfig(address, port, path, ioThreads, handshakeTimeout);
    }

    public NbdServerConfig withIoThreads(int n) {
        return new NbdServerConfig(address, port, unixSocket, n, handshakeTimeout);
    }

    public NbdServerConfig withHandshakeTimeout(Duration d) {
        return new NbdServerConfig(address, port, unixSocket, ioThreads, d);
    }
}
