package io.mapperd.multipathd.engine;

/**
 * A path's checker state, as multipath-tools' PATH_* states. {@link #usable} states keep a path in
 * use (reinstated in the table); the rest fail it.
 */
public enum PathState {
    WILD("wild", "undef"),
    UNCHECKED("unchecked", "undef"),
    DOWN("down", "faulty"),
    UP("up", "ready"),
    SHAKY("shaky", "shaky"),
    GHOST("ghost", "ghost"),
    PENDING("pending", "i/o pending"),
    TIMEOUT("timeout", "i/o timeout"),
    REMOVED("removed", "undef"),
    DELAYED("delayed", "delayed");

    private final String name;
    private final String showName;

    PathState(String name, String showName) {
        this.name = name;
        this.showName = showName;
    }

    /** The checker state name ("up", "down", ...). */
    public String text() {
        return name;
    }

    /** How `show paths` prints it in chk_st ("ready", "faulty", ...). */
    public String showText() {
        return showName;
    }

    /** Up or ghost: the path may carry I/O (a ghost path only after a group switch). */
    public boolean usable() {
        return this == UP || this == GHOST;
    }
}
