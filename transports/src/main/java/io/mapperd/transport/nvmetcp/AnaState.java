package io.mapperd.transport.nvmetcp;

/** Asymmetric Namespace Access states, named as the kernel's sysfs and nvmet's configfs name them. */
public enum AnaState {
    OPTIMIZED(0x1, "optimized"),
    NON_OPTIMIZED(0x2, "non-optimized"),
    INACCESSIBLE(0x3, "inaccessible"),
    PERSISTENT_LOSS(0x4, "persistent-loss"),
    CHANGE(0xF, "change");

    private final int code;
    private final String label;

    AnaState(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** Whether I/O is served in this state. */
    public boolean accessible() {
        return this == OPTIMIZED || this == NON_OPTIMIZED;
    }

    public static AnaState ofCode(int code) {
        for (AnaState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown ANA state 0x" + Integer.toHexString(code));
    }

    public static AnaState parse(String label) {
        for (AnaState s : values()) {
            if (s.label.equalsIgnoreCase(label) || s.name().equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown ANA state '" + label + "' (optimized, non-optimized, inaccessible, persistent-loss, change)");
    }

    @Override
    public String toString() {
        return label;
    }
}
