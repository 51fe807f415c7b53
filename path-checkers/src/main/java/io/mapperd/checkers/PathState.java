package io.mapperd.checkers;

/**
 * What a checker says of a path, as multipath-tools' enum path_check_state, with its names
 * ("up", "ghost", ...) as checker_state_name() prints them. The ordinals are multipath-tools' numbers.
 */
public enum PathState {
    /** The checker cannot judge this device (wrong checker for it). */
    WILD("wild"),
    UNCHECKED("unchecked"),
    DOWN("down"),
    UP("up"),
    /** Not available for normal operations (emc_clariion). */
    SHAKY("shaky"),
    /** A passive or standby path: answers some commands, fails I/O until initialised. */
    GHOST("ghost"),
    /** A check is in flight, or the path is in an ALUA transition. */
    PENDING("pending"),
    /** The check did not finish within checker_timeout. */
    TIMEOUT("timeout"),
    REMOVED("removed"),
    /** Set by the daemon while a path waits out delay_wait_checks; no checker returns it. */
    DELAYED("delayed"),
    /** The LUN is gone at the target (ILLEGAL REQUEST 25/00); the daemon treats it as down. */
    DISCONNECTED("disconnected");

    private final String text;

    PathState(String text) {
        this.text = text;
    }

    /** As multipath-tools' checker_state_name() prints it. */
    public String text() {
        return text;
    }

    /** Whether I/O may be sent down the path (the daemon reinstates it). */
    public boolean usable() {
        return this == UP || this == GHOST;
    }
}
