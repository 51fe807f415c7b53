package io.mapperd.sim;

/**
 * How many event loops a simulated target (iSCSI or NVMe/TCP) serves its connections with: the
 * system property {@value #PROPERTY}, {@value #DEFAULT} when unset. iSCSI connections take the
 * loops in turn, so the two paths of a multipath map usually land on two loops, as a real target runs
 * its connections on their own threads. NVMe/TCP I/O queues move, once connected, to the loop of
 * their subsystem and queue id (queue N through every port on one loop, as the host keys its queues).
 * A benchmark that runs initiator and target on the same few cores may set 1, so that the target's
 * share of the CPU does not grow with the number of paths.
 */
public final class SimLoops {
    public static final String PROPERTY = "mapperd.sim.loops";
    public static final int DEFAULT = 2;

    private SimLoops() {
    }

    public static int count() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            return DEFAULT;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " '" + v + "': want a number of event loops, 1..64");
        }
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException(PROPERTY + " " + n + ": want a number of event loops, 1..64");
        }
        return n;
    }
}
