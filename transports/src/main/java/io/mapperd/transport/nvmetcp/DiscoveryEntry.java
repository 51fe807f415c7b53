package io.mapperd.transport.nvmetcp;

/** One Discovery Log Page entry: a subsystem reachable at a transport address. */
public record DiscoveryEntry(int trtype, int adrfam, int subtype, int treq, int portId, int cntlid, int asqsz,
                             int eflags, String trsvcid, String subnqn, String traddr, int sectype) {
    public static final int SIZE = 1024;
    public static final int TRTYPE_TCP = 3;
    public static final int ADRFAM_IPV4 = 1;
    public static final int ADRFAM_IPV6 = 2;
    public static final int SUBTYPE_REFERRAL = 1;
    public static final int SUBTYPE_NVME = 2;
    public static final int SUBTYPE_CURRENT_DISCOVERY = 3;

    public String trtypeName() {
        return switch (trtype) {
            case 1 -> "rdma";
            case 2 -> "fc";
            case TRTYPE_TCP -> "tcp";
            case 254 -> "loop";
            default -> "unrecognized";
        };
    }

    public String adrfamName() {
        return switch (adrfam) {
            case ADRFAM_IPV4 -> "ipv4";
            case ADRFAM_IPV6 -> "ipv6";
            case 3 -> "infiniband";
            case 4 -> "fibre-channel";
            case 254 -> "loop";
            default -> "unrecognized";
        };
    }

    public String subtypeName() {
        return switch (subtype) {
            case SUBTYPE_REFERRAL -> "discovery subsystem referral";
            case SUBTYPE_NVME -> "nvme subsystem";
            case SUBTYPE_CURRENT_DISCOVERY -> "current discovery subsystem";
            default -> "unrecognized";
        };
    }

    public String treqName() {
        String base = switch (treq & 0x3) {
            case 0 -> "not specified";
            case 1 -> "required";
            case 2 -> "not required";
            default -> "reserved";
        };
        return (treq & 0x4) != 0 ? base + ", sq flow control disable supported" : base;
    }

    public String sectypeName() {
        return switch (sectype) {
            case 0 -> "none";
            case 1 -> "tls";
            default -> "unrecognized";
        };
    }
}
