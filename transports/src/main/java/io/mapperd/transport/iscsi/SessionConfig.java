package io.mapperd.transport.iscsi;

import java.time.Duration;

/**
 * What the initiator asks for at login and how it watches the session. Timeouts follow open-iscsi's
 * node settings: a NOP-Out every {@code noopInterval}, the connection dropped when a NOP-In takes
 * longer than {@code noopTimeout}; commands queued during reconnection fail after {@code replacementTimeout}.
 */
public record SessionConfig(String initiatorName, ChapCredentials chap, boolean headerDigest, boolean dataDigest,
                            int maxRecvDataSegmentLength, boolean immediateData, boolean initialR2T,
                            Duration loginTimeout, Duration commandTimeout, Duration noopInterval,
                            Duration noopTimeout, Duration replacementTimeout, boolean reconnect) {
    public static final String DEFAULT_INITIATOR = "iqn.2026-01.io.mapperd:initiator";

    public static SessionConfig defaults() {
        return new SessionConfig(DEFAULT_INITIATOR, ChapCredentials.NONE, false, false, 262144, true, false,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), true);
    }

    public SessionConfig withChap(ChapCredentials c) {
        return new SessionConfig(initiatorName, c, headerDigest, dataDigest, maxRecvDataSegmentLength, immediateData,
                initialR2T, loginTimeout, commandTimeout, noopInterval, noopTimeout, replacementTimeout, reconnect);
    }

    public SessionConfig withInitiatorName(String n) {
        return new SessionConfig(n, chap, headerDigest, dataDigest, maxRecvDataSegmentLength, immediateData,
                initialR2T, loginTimeout, commandTimeout, noopInterval, noopTimeout, replacementTimeout, reconnect);
    }

    public SessionConfig withDigests(boolean header, boolean data) {
        return new SessionConfig(initiatorName, chap, header, data, maxRecvDataSegmentLength, immediateData,
                initialR2T, loginTimeout, commandTimeout, noopInterval, noopTimeout, replacementTimeout, reconnect);
    }

    public SessionConfig withData(boolean immediate, boolean initialR2t) {
        return new SessionConfig(initiatorName, chap, headerDigest, dataDigest, maxRecvDataSegmentLength, immediate,
                initialR2t, loginTimeout, commandTimeout, noopInterval, noopTimeout, replacementTimeout, reconnect);
    }

    public SessionConfig withTimeouts(Duration command, Duration noopEvery, Duration noopWait, Duration replacement) {
        return new SessionConfig(initiatorName, chap, headerDigest, dataDigest, maxRecvDataSegmentLength, immediateData,
                initialR2T, loginTimeout, command, noopEvery, noopWait, replacement, reconnect);
    }

    /**
     * One I/O timeout {@code t} for a path: commands time out after {@code t}, and a NOP-Out every
     * {@code t/2} that waits {@code t/2} for its NOP-In finds a silent connection within {@code t}
     * even when no command is outstanding.
     */
    public SessionConfig withIoTimeout(Duration t) {
        return withTimeouts(t, t.dividedBy(2), t.dividedBy(2), replacementTimeout);
    }

    public SessionConfig withReconnect(boolean r) {
        return new SessionConfig(initiatorName, chap, headerDigest, dataDigest, maxRecvDataSegmentLength, immediateData,
                initialR2T, loginTimeout, commandTimeout, noopInterval, noopTimeout, replacementTimeout, r);
    }
}
