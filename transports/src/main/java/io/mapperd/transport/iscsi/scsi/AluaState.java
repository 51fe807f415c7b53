package io.mapperd.transport.iscsi.scsi;

/** Asymmetric access states (SPC-4 5.16.2), with their codes in REPORT/SET TARGET PORT GROUPS. */
public enum AluaState {
    ACTIVE_OPTIMIZED(0x0, "active/optimized"),
    ACTIVE_NON_OPTIMIZED(0x1, "active/non-optimized"),
    STANDBY(0x2, "standby"),
    UNAVAILABLE(0x3, "unavailable"),
    LBA_DEPENDENT(0x4, "lba-dependent"),
    OFFLINE(0xe, "offline"),
    TRANSITIONING(0xf, "transitioning");

    private final int code;
    private final String text;

    AluaState(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** As multipath-tools and sg_rtpg print it. */
    public String text() {
        return text;
    }

    public static AluaState of(int code) {
        for (AluaState s : values()) {
            if (s.code == (code & 0x0f)) {
                return s;
            }
        }
        throw new IllegalArgumentException(String.format("reserved asymmetric access state 0x%x", code & 0x0f));
    }

    /** Accepts "active/optimized", "active_optimized", "standby", "ao", "an" ... */
    public static AluaState parse(String s) {
        String k = s.toLowerCase().replace('-', '_').replace('/', '_');
        return switch (k) {
            case "ao", "active_optimized", "optimized" -> ACTIVE_OPTIMIZED;
            case "an", "active_non_optimized", "non_optimized" -> ACTIVE_NON_OPTIMIZED;
            case "s", "standby" -> STANDBY;
            case "u", "unavailable" -> UNAVAILABLE;
            case "o", "offline" -> OFFLINE;
            case "t", "transitioning" -> TRANSITIONING;
            case "lba_dependent" -> LBA_DEPENDENT;
            default -> throw new IllegalArgumentException("unknown ALUA state " + s
                    + " (want active/optimized, active/non-optimized, standby, unavailable, transitioning, offline)");
        };
    }
}
