package io.mapperd.transport.nvmetcp;

import java.time.Duration;
import java.util.UUID;

/**
 * How a host connects to a controller, with the kernel's defaults where it has them
 * (nvme-fabrics: kato 5 s, reconnect_delay 10 s, ctrl_loss_tmo 600 s, queue_size 128).
 *
 * @param ioQueues       I/O queues (one TCP connection each)
 * @param queueSize      entries per I/O queue
 * @param kato           keep-alive timeout; zero disables keep-alive
 * @param ioTimeout      per-command timeout of I/O commands
 * @param adminTimeout   per-command timeout of admin commands
 * @param reconnectDelay pause between reconnect attempts after a lost connection
 * @param ctrlLossTimeout how long to keep reconnecting before the controller is given up; negative: forever
 */
public record NvmeTcpOptions(String hostNqn, UUID hostId, int ioQueues, int queueSize, Duration kato, Duration ioTimeout,
                             Duration adminTimeout, Duration connectTimeout, Duration reconnectDelay,
                             Duration ctrlLossTimeout, boolean headerDigest, boolean dataDigest) {
    public static final UUID DEFAULT_HOST_ID = UUID.nameUUIDFromBytes("mapperd-host".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    public NvmeTcpOptions {
        if (ioQueues < 0 || ioQueues > 64) {
            throw new IllegalArgumentException("ioQueues " + ioQueues + " outside 0..64");
        }
        if (queueSize < 2 || queueSize > 1024) {
            throw new IllegalArgumentException("queueSize " + queueSize + " outside 2..1024");
        }
        if (hostNqn.isEmpty() || hostNqn.length() > 223) {
            throw new IllegalArgumentException("host NQN must be 1..223 characters: '" + hostNqn + "'");
        }
    }

    public static NvmeTcpOptions defaults() {
        return new NvmeTcpOptions("nqn.2014-08.org.nvmexpress:uuid:" + DEFAULT_HOST_ID, DEFAULT_HOST_ID, 2, 128,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(600), false, false);
    }

    public NvmeTcpOptions withIoQueues(int n) {
        return new NvmeTcpOptions(hostNqn, hostId, n, queueSize, kato, ioTimeout, adminTimeout, connectTimeout, reconnectDelay, ctrlLossTimeout, headerDigest, dataDigest);
    }

    public NvmeTcpOptions withQueueSize(int n) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, n, kato, ioTimeout, adminTimeout, connectTimeout, reconnectDelay, ctrlLossTimeout, headerDigest, dataDigest);
    }

    public NvmeTcpOptions withKato(Duration d) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, queueSize, d, ioTimeout, adminTimeout, connectTimeout, reconnectDelay, ctrlLossTimeout, headerDigest, dataDigest);
    }

    public NvmeTcpOptions withTimeouts(Duration io, Duration admin) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, queueSize, kato, io, admin, connectTimeout, reconnectDelay, ctrlLossTimeout, headerDigest, dataDigest);
    }

    /**
     * One I/O timeout {@code t} for a path: I/O commands time out after {@code t}, and keep-alive
     * (a Keep Alive every {@code t/2}, each given {@code t/2}) finds a silent controller within {@code t}.
     */
    public NvmeTcpOptions withIoTimeout(Duration t) {
        return withKato(t).withTimeouts(t, adminTimeout);
    }

    public NvmeTcpOptions withConnectTimeout(Duration d) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, queueSize, kato, ioTimeout, adminTimeout, d, reconnectDelay, ctrlLossTimeout, headerDigest, dataDigest);
    }

    public NvmeTcpOptions withReconnect(Duration delay, Duration lossTimeout) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, queueSize, kato, ioTimeout, adminTimeout, connectTimeout, delay, lossTimeout, headerDigest, dataDigest);
    }

    public NvmeTcpOptions withDigests(boolean header, boolean data) {
        return new NvmeTcpOptions(hostNqn, hostId, ioQueues, queueSize, kato, ioTimeout, adminTimeout, connectTimeout, reconnectDelay, ctrlLossTimeout, header, data);
    }
}
