package io.mapperd.transport.nvmetcp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The event loops all NVMe/TCP host connections of this process share. */
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
                    g = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("nvme-tcp-host", true), NioIoHandler.newFactory());
                    group = g;
                }
            }
        }
        return g;
    }
}
