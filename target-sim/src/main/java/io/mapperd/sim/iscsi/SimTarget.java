package io.mapperd.sim.iscsi;

import java.util.List;

/** One iSCSI target of the simulator: its name, LUNs and optional CHAP secrets. */
public final class SimTarget {
    private final String iqn;
    private final List<SimLun> luns;
    final String chapUser;
    final String chapSecret;
    final String mutualUser;
    final String mutualSecret;

    SimTarget(String iqn, List<SimLun> luns, String chapUser, String chapSecret, String mutualUser, String mutualSecret) {
        this.iqn = iqn;
        this.luns = List.copyOf(luns);
        this.chapUser = chapUser;
        this.chapSecret = chapSecret;
        this.mutualUser = mutualUser;
        this.mutualSecret = mutualSecret;
    }

    public String iqn() {
        return iqn;
    }

    public List<SimLun> luns() {
        return luns;
    }

    public SimLun lun(int id) {
        for (SimLun l : luns) {
            if (l.id() == id) {
                return l;
            }
        }
        return null;
    }

    boolean requiresChap() {
        return chapUser != null;
    }
}
