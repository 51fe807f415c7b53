package io.mapperd.transport.nvmetcp;

/** A host's view of a controller, as the kernel's nvme_ctrl_state. */
public enum ControllerState {
    CONNECTING("connecting"),
    LIVE("live"),
    RESETTING("resetting"),
    DELETED("deleted");

    private final String label;

    ControllerState(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
