package io.mapperd.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/** The event loops iSCSI and NVMe/TCP connections run on: epoll where the native library loads, NIO elsewhere. */
public final class EventLoops {
    /**
     * System property: {@code false} spreads every connection over the group's loops in turn, even
     * the paths to one storage (see {@link #loopFor}).
     */
    public static final String LOOP_PER_STORAGE_PROPERTY = "mapperd.transport.loopPerStorage";
    private static final boolean LOOP_PER_STORAGE = !"false".equalsIgnoreCase(System.getProperty(LOOP_PER_STORAGE_PROPERTY));
    // loops held weakly, so a group nobody else holds can go (a loop refers to its group)
    private static final Map<EventLoopGroup, Map<String, WeakReference<EventLoop>>> STORAGE_LOOPS = new WeakHashMap<>();

    private static volatile EventLoopGroup shared;

    private EventLoops() {
    }

    /** Whether {@link #loopFor} keys loops by storage (else it hands out the next loop in turn). */
    public static boolean loopPerStorage() {
        return LOOP_PER_STORAGE;
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * Acknowledge at once rather than delay (epoll only): targets that leave Nagle on (tgtd) otherwise
     * hold each small R2T until our delayed ACK, some 40 ms, and writes crawl.
     */
    public static void quickAck(io.netty.bootstrap.Bootstrap b) {
        if (Epoll.isAvailable()) {
            b.option(io.netty.channel.epoll.EpollChannelOption.TCP_QUICKACK, true);
        }
    }

    /** A process-wide group of daemon threads for initiator connections (one per core, at most 4). */
    public static EventLoopGroup initiator() {
        EventLoopGroup g = shared;
        if (g == null) {
            synchronized (EventLoops.class) {
                g = shared;
                if (g == null) {
                    int n = Math.min(4, Runtime.getRuntime().availableProcessors());
                    g = new MultiThreadIoEventLoopGroup(n, Thread.ofPlatform().daemon().name("iscsi-", 0).factory(),
                            ioHandlerFactory());
                    shared = g;
                }
            }
        }
        return g;
    }

    /**
     * The loop of {@code group} for a connection to {@code storage} (an iSCSI target name; an NVMe
     * subsystem NQN with the queue number): every connection to the same storage gets the same
     * loop, different storages take the group's loops in turn. The paths of one multipath map then
     * share a loop, as the kernel's NVMe/TCP host runs queue N of every controller on CPU N: bios a
     * submitter sends in one go over several paths reach one loop (one wake-up, the paths' writes
     * in one loop iteration, a retry on the other path without a thread hop) instead of waking a
     * loop per path with half the batch each, which cost 11-14 % of a CPU-bound map's throughput
     * (bench/RESULTS-multipath.md). {@code storage} null, or the property
     * {@value #LOOP_PER_STORAGE_PROPERTY}=false: the next loop in turn.
     */
    public static EventLoop loopFor(EventLoopGroup group, String storage) {
        if (storage == null || !LOOP_PER_STORAGE) {
            return group.next();
        }
        synchronized (STORAGE_LOOPS) {
            Map<String, WeakReference<EventLoop>> loops = STORAGE_LOOPS.computeIfAbsent(group, g -> new HashMap<>());
            WeakReference<EventLoop> ref = loops.get(storage);
            EventLoop loop = ref == null ? null : ref.get();
            if (loop == null) {
                loop = group.next();
                loops.put(storage, new WeakReference<>(loop));
            }
            return loop;
        }
    }

    public static EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, Thread.ofPlatform().daemon().name(prefix, 0).factory(),
                ioHandlerFactory());
    }
}
