package io.mapperd.sim.nvme;

import io.mapperd.transport.nvmetcp.AnaState;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A port of the target: where it listens, the ANA state of each group through it, its fault. */
public final class SimPortal {
    private final int id;
    private final String host;
    private final int configuredPort;
    private final Map<Integer, AnaState> anaStates = new ConcurrentHashMap<>();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile SimFault fault = SimFault.NONE;
    private volatile Channel server;
    private volatile long anaChangeCount = 1;

    public SimPortal(int id, String host, int port) {
        if (id <= 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("portal id " + id + " outside 1..65535");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("portal " + id + ": port " + port + " outside 0..65535");
        }
        this.id = id;
        this.host = host;
        this.configuredPort = port;
    }

    public int id() {
        return id;
    }

    public String host() {
        return host;
    }

    public int configuredPort() {
        return configuredPort;
    }

    /** The port it listens on (the ephemeral one when configured as 0). */
    public int port() {
        Channel s = server;
        return s == null ? configuredPort : ((InetSocketAddress) s.localAddress()).getPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port());
    }

    void bound(Channel ch) {
        this.server = ch;
    }

    Channel server() {
        return server;
    }

    public AnaState anaState(int group) {
        return anaStates.getOrDefault(group, AnaState.OPTIMIZED);
    }

    void setAnaState(int group, AnaState s) {
        anaStates.put(group, s);
        anaChangeCount++;
    }

    long anaChangeCount() {
        return anaChangeCount;
    }

    public SimFault fault() {
        return fault;
    }

    void setFault(SimFault f) {
        this.fault = f;
    }

    Set<Channel> connections() {
        return connections;
    }
}
