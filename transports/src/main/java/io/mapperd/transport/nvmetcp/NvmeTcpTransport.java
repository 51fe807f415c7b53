package io.mapperd.transport.nvmetcp;

import io.mapperd.transport.EventLoops;
import io.netty.channel.EventLoopGroup;

/** The event loops all NVMe/TCP host connections of this process share (epoll where it loads). */
public final class NvmeTcpTransport {
    private static volatile EventLoopGroup group;

    private NvmeTcpTransport() {
    }

    public static EventLoopGroup eventLoops() {
        EventLoopGroup g = group;
        if (g == null) {
            synchronized (NvmeTcpTransport.class) {
                g = group;
                if (g == null) {
                    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
                    g = EventLoops.newGroup(n, "nvme-tcp-host-");
                    group = g;
                }
            }
        }
        return g;
    }
}
