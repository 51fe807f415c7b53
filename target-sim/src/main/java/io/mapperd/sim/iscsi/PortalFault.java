package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.Sense;

/**
 * The fault a portal shows, changed at run time: refuse connections (down), accept and never answer
 * (hang), answer late (delay), or answer media commands with a chosen CHECK CONDITION.
 */
public record PortalFault(boolean down, boolean hang, long delayMillis, Sense sense) {
    public static final PortalFault NONE = new PortalFault(false, false, 0, null);

    public PortalFault withHang(boolean h) {
        return new PortalFault(down, h, delayMillis, sense);
    }

    public PortalFault withDelay(long ms) {
        return new PortalFault(down, hang, ms, sense);
    }

    public PortalFault withSense(Sense s) {
        return new PortalFault(down, hang, delayMillis, s);
    }

    public PortalFault withDown(boolean d) {
        return new PortalFault(d, hang, delayMillis, sense);
    }

    public String describe() {
        if (this.equals(NONE)) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        if (down) {
            sb.append("down ");
        }
        if (hang) {
            sb.append("hang ");
        }
        if (delayMillis > 0) {
            sb.append("delay ").append(delayMillis).append("ms ");
        }
        if (sense != null) {
            sb.append("sense ").append(sense).append(' ');
        }
        return sb.toString().trim();
    }
}
