package io.mapperd.dm.targets.multipath;

/** The queue_mode feature: how the kernel would stack the map (bio- or request-based). */
public enum QueueMode {
    /** queue_mode bio: bio-based; hardware handlers are not managed, retain_attached_hw_handler is implied. */
    BIO,
    /** The default, and queue_mode rq or mq: request-based. */
    REQUEST
}
