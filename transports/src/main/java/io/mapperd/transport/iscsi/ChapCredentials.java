package io.mapperd.transport.iscsi;

import java.util.Map;

/**
 * CHAP secrets: the initiator's (one-way) and, for mutual CHAP, the target's. From a URL, options,
 * or the environment variables libiscsi reads (LIBISCSI_CHAP_USERNAME, LIBISCSI_CHAP_PASSWORD,
 * LIBISCSI_CHAP_TARGET_USERNAME, LIBISCSI_CHAP_TARGET_PASSWORD).
 */
public record ChapCredentials(String user, String secret, String targetUser, String targetSecret) {
    public static final ChapCredentials NONE = new ChapCredentials(null, null, null, null);

    public ChapCredentials {
        if (user != null && secret == null) {
            throw new IllegalArgumentException("CHAP user " + user + " has no password");
        }
        if (targetUser != null && targetSecret == null) {
            throw new IllegalArgumentException("mutual CHAP user " + targetUser + " has no password");
        }
        if (targetUser != null && user == null) {
            throw new IllegalArgumentException("mutual CHAP needs the initiator's CHAP credentials too");
        }
    }

    public boolean enabled() {
        return user != null;
    }

    public boolean mutual() {
        return targetUser != null;
    }

    public static ChapCredentials fromEnv(Map<String, String> env) {
        String u = env.get("LIBISCSI_CHAP_USERNAME");
        if (u == null) {
            return NONE;
        }
        return new ChapCredentials(u, env.get("LIBISCSI_CHAP_PASSWORD"), env.get("LIBISCSI_CHAP_TARGET_USERNAME"),
                env.get("LIBISCSI_CHAP_TARGET_PASSWORD"));
    }

    @Override
    public String toString() {
        return enabled() ? "CHAP user " + user + (mutual() ? " (mutual, target user " + targetUser + ")" : "") : "no CHAP";
    }
}
