package io.mapperd.sim.iscsi;

import io.mapperd.transport.iscsi.scsi.AluaState;

import java.util.List;

/**
 * What a simulator serves: targets with file-backed LUNs, portals each in a target port group, the
 * groups' ALUA states, and whether STPG may change them (explicit) or only the operator (implicit).
 */
public record SimConfig(List<TargetSpec> targets, List<PortalSpec> portals, List<GroupSpec> groups, AluaMode alua,
                        String control) {

    public enum AluaMode {
        NONE(0), IMPLICIT(1), EXPLICIT(2), BOTH(3);

        /** The TPGS field of standard INQUIRY. */
        public final int tpgs;

        AluaMode(int tpgs) {
            this.tpgs = tpgs;
        }

        public static AluaMode parse(String s) {
            return switch (s.toLowerCase()) {
                case "none", "off" -> NONE;
                case "implicit" -> IMPLICIT;
                case "explicit" -> EXPLICIT;
                case "both", "implicit+explicit" -> BOTH;
                default -> throw new IllegalArgumentException("alua: '" + s + "' is not one of none, implicit, explicit, both");
            };
        }
    }

    public record TargetSpec(String iqn, List<LunSpec> luns, String chapUser, String chapSecret,
                             String mutualUser, String mutualSecret) {
    }

    public record LunSpec(int id, String file, long sizeBytes, int blockSize, String serial, String naa) {
    }

    /** {@code host}:{@code port}; relative target port ids count from 1 in portal order. */
    public record PortalSpec(String host, int port, int group) {
        public String address() {
            return host + ":" + port;
        }
    }

    public record GroupSpec(int id, AluaState state, boolean preferred) {
    }

    public SimConfig {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no targets configured");
        }
        if (portals.isEmpty()) {
            throw new IllegalArgumentException("no portals configured");
        }
        for (PortalSpec p : portals) {
            if (groups.stream().noneMatch(g -> g.id() == p.group())) {
                throw new IllegalArgumentException("portal " + p.address() + " names port group " + p.group()
                        + ", which is not configured");
            }
        }
    }
}
