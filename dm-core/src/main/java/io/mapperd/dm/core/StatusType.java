package io.mapperd.dm.core;

/** The two forms of a target's status, as the kernel's STATUSTYPE_INFO and STATUSTYPE_TABLE. */
public enum StatusType {
    /** What `dmsetup status` prints. */
    INFO,
    /** What `dmsetup table` prints: the constructor arguments in canonical form. */
    TABLE
}
