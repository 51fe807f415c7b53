package io.mapperd.dm.core;

/** Told of mapped devices coming, going, being renamed and raising events (the kernel's uevents). */
public interface DeviceListener {
    default void created(MappedDevice md) {
    }

    default void removed(MappedDevice md) {
    }

    /** remove --force: the live table now fails all I/O; openers should let go now. */
    default void forceRemoving(MappedDevice md) {
    }

    default void renamed(MappedDevice md, String oldName) {
    }

    /** A live table was swapped in (resume with a new table). */
    default void tableSwapped(MappedDevice md) {
    }

    default void event(MappedDevice md) {
    }
}
