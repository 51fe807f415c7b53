package io.mapperd.conf;

/**
 * An NVMe/TCP discovery controller the daemon connects to (mapperd extension): its address, the
 * host NQN and ID to present, an optional subsystem NQN filter and an optional DH-HMAC-CHAP secret.
 */
public record NvmeDiscovery(Settings settings, Origin origin) {

    /** "HOST:PORT", the port defaulting to 8009. */
    public String address() {
        return settings.string("address");
    }

    public String host() {
        String a = address();
        return a == null ? null : a.substring(0, a.lastIndexOf(':'));
    }

    public int port() {
        String a = address();
        return a == null ? 8009 : Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    public String hostNqn() {
        return settings.string("host_nqn");
    }

    public String hostId() {
        return settings.string("host_id");
    }

    /** Only subsystems with this NQN are connected; null connects every one the log page lists. */
    public String subsystemNqn() {
        return settings.string("subsystem_nqn");
    }

    public String dhchapSecret() {
        return settings.string("dhchap_secret");
    }

    /**
     * False ({@code discovery no}) when the daemon connects to this address for {@code subsystem_nqn}
     * without asking its discovery log first, as a static node record does (for targets behind address
     * translation, whose discovery log names addresses the host cannot reach).
     */
    public boolean discovery() {
        return !Boolean.FALSE.equals(settings.value("discovery"));
    }
}
