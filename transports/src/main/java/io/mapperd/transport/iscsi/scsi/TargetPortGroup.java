package io.mapperd.transport.iscsi.scsi;

import java.util.List;

/** One target port group descriptor of REPORT TARGET PORT GROUPS. */
public record TargetPortGroup(int id, AluaState state, boolean preferred, int supportedStates, int statusCode,
                              List<Integer> relativePorts) {
    public static final int SUP_TRANSITIONING = 0x80;
    public static final int SUP_OFFLINE = 0x40;
    public static final int SUP_LBA_DEPENDENT = 0x10;
    public static final int SUP_UNAVAILABLE = 0x08;
    public static final int SUP_STANDBY = 0x04;
    public static final int SUP_NON_OPTIMIZED = 0x02;
    public static final int SUP_OPTIMIZED = 0x01;
}
