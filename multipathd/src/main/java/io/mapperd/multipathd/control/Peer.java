package io.mapperd.multipathd.control;

/** Who is on the other end of a control connection, from SO_PEERCRED. */
public record Peer(int pid, int uid, int[] gids) {
    public Peer {
        gids = gids.clone();
    }

    /** The daemon itself, or a console already trusted: may do anything. */
    public static Peer self() {
        return new Peer((int) ProcessHandle.current().pid(), 0, new int[] {0});
    }

    public boolean inGroup(int gid) {
        for (int g : gids) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "pid " + pid + " uid " + uid;
    }
}
