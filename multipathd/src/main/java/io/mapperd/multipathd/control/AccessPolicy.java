package io.mapperd.multipathd.control;

import java.util.OptionalInt;

/**
 * Who may change state through the control socket: uid 0, and members of an optional admin group
 * (the peer's primary group, as SO_PEERCRED reports it). Anyone may read.
 */
public record AccessPolicy(OptionalInt adminGid) {
    public static AccessPolicy rootOnly() {
        return new AccessPolicy(OptionalInt.empty());
    }

    public boolean mayChange(Peer peer) {
        return peer.uid() == 0 || (adminGid.isPresent() && peer.inGroup(adminGid.getAsInt()));
    }

    /** Says who may, for the refusal message. */
    public String who() {
        return adminGid.isPresent() ? "root or group " + adminGid.getAsInt() : "root";
    }
}
