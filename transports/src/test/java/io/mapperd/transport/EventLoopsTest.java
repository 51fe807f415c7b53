package io.mapperd.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class EventLoopsTest {

    @Test
    void connectionsToOneStorageShareALoopAndStoragesSpreadOverTheLoops() throws Exception {
        EventLoopGroup g = EventLoops.newGroup(2, "loops-test-");
        try {
            EventLoop a = EventLoops.loopFor(g, "iqn.2026-11.io.mapperd:a");
            EventLoop b = EventLoops.loopFor(g, "iqn.2026-11.io.mapperd:b");
            assertSame(a, EventLoops.loopFor(g, "iqn.2026-11.io.mapperd:a"), "a second path to storage a");
            assertSame(b, EventLoops.loopFor(g, "iqn.2026-11.io.mapperd:b"), "a second path to storage b");
            assertNotSame(a, b, "two storages on a group of two loops take one each");
            assertSame(a.parent(), g);
        } finally {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutAStorageEachConnectionTakesTheNextLoop() throws Exception {
        EventLoopGroup g = EventLoops.newGroup(2, "loops-test-");
        try {
            EventLoop first = EventLoops.loopFor(g, null);
            EventLoop second = EventLoops.loopFor(g, null);
            assertNotSame(first, second);
            assertSame(first, EventLoops.loopFor(g, null));
        } finally {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
