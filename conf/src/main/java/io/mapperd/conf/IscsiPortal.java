package io.mapperd.conf;

/**
 * An iSCSI portal the daemon logs in to (mapperd extension): the portal address, optionally one
 * target (all discovered targets otherwise), the initiator name, and CHAP credentials.
 */
public record IscsiPortal(Settings settings, Origin origin) {

    /** "HOST:PORT", the port defaulting to 3260. */
    public String portal() {
        return settings.string("portal");
    }

    public String host() {
        String p = portal();
        return p == null ? null : p.substring(0, p.lastIndexOf(':'));
    }

    public int port() {
        String p = portal();
        return p == null ? 3260 : Integer.parseInt(p.substring(p.lastIndexOf(':') + 1));
    }

    /** The target IQN to log in to, or null to log in to every target SendTargets reports. */
    public String target() {
        return settings.string("target");
    }

    public String initiatorName() {
        return settings.string("initiator_name");
    }

    public String chapUsername() {
        return settings.string("chap_username");
    }

    public String chapPassword() {
        return settings.string("chap_password");
    }

    public String mutualChapUsername() {
        return settings.string("mutual_chap_username");
    }

    public String mutualChapPassword() {
        return settings.string("mutual_chap_password");
    }

    public boolean usesChap() {
        return chapUsername() != null;
    }

    /**
     * False ({@code discovery no}) when the daemon connects to this address for {@code target}
     * without asking its SendTargets first, as a static node record does (for targets behind address
     * translation, whose SendTargets names addresses the host cannot reach).
     */
    public boolean discovery() {
        return !Boolean.FALSE.equals(settings.value("discovery"));
    }
}
