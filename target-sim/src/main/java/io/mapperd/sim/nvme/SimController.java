package io.mapperd.sim.nvme;

import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A controller of the target: created by an admin queue Connect, joined by I/O queue Connects with
 * its id, enabled by CC.EN, fed Keep Alives, holding Asynchronous Event Requests until an event.
 * Guarded by its own monitor.
 */
final class SimController {
    final int cntlid;
    final SimSubsystem subsystem;
    final SimPortal portal;
    final String hostNqn;
    final boolean discovery;
    final long katoMs;
    final Set<Channel> queues = ConcurrentHashMap.newKeySet();
    /** Command ids of outstanding AERs on the admin queue. */
    final ArrayDeque<Integer> aers = new ArrayDeque<>();
    /** Events (completion dword 0) waiting for an AER. */
    final ArrayDeque<Integer> pendingEvents = new ArrayDeque<>();
    Channel admin;
    int cc;
    int csts;
    int aenConfig;
    boolean anaEventMasked;
    int ioQueuesGranted;
    volatile long lastKeepAliveNanos = System.nanoTime();
    volatile boolean dead;

    SimController(int cntlid, SimSubsystem subsystem, SimPortal portal, String hostNqn, boolean discovery, long katoMs, int aenDefault) {
        this.cntlid = cntlid;
        this.subsystem = subsystem;
        this.portal = portal;
        this.hostNqn = hostNqn;
        this.discovery = discovery;
        this.katoMs = katoMs;
        this.aenConfig = aenDefault;
    }

    boolean ready() {
        return (csts & 1) != 0;
    }
}
