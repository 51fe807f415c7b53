package io.mapperd.transport.nvmetcp;

/** Events of a controller; called off the I/O path, one thread at a time per controller. */
public interface ControllerListener {
    default void stateChanged(NvmeController ctrl, ControllerState state, String reason) {
    }

    /** An Asynchronous Event Request completed: type, information and log page as the spec codes them. */
    default void asyncEvent(NvmeController ctrl, int type, int info, int logPage) {
    }

    /** A fresh ANA log page was read (after an ANA change notice or a reconnect). */
    default void anaChanged(NvmeController ctrl, AnaLog log) {
    }
}
