package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.AluaState;

/** A target port group: its asymmetric access state changes at run time (operator or STPG). */
public final class PortGroup {
    private final int id;
    private final boolean preferred;
    private volatile AluaState state;
    /** RTPG status code: 0 none, 1 altered by SET TARGET PORT GROUPS, 2 altered by implicit behaviour. */
    private volatile int statusCode;

    PortGroup(int id, AluaState state, boolean preferred) {
        this.id = id;
        this.state = state;
        this.preferred = preferred;
    }

    public int id() {
        return id;
    }

    public boolean preferred() {
        return preferred;
    }

    public AluaState state() {
        return state;
    }

    public int statusCode() {
        return statusCode;
    }

    void set(AluaState s, boolean explicit) {
        this.state = s;
        this.statusCode = explicit ? 1 : 2;
    }
}
