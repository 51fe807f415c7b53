package io.mapperd.dm.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * A LongAdder whose base count does not share a cache line with the next object: the suspend
 * gate's two counters are written by different threads (submitters, I/O threads), and side by
 * side they would bounce one line between cores on every bio, as the one counter did.
 */
@SuppressWarnings("unused")
final class PaddedAdder extends LongAdder {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}
