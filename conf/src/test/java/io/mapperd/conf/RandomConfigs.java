package io.mapperd.conf;

import java.util.List;
import java.util.Random;

/** Random but valid multipath.conf files built from the keyword table, for round-trip and fuzz tests. */
final class RandomConfigs {
    private static final List<String> WORDS = List.of("alua", "tur", "a b", "x\"y", "ID_SERIAL", "", "ÿ", "0");

    private RandomConfigs() {
    }

    static String valid(Random rnd) {
        StringBuilder sb = new StringBuilder();
        section(sb, rnd, "defaults", Section.DEFAULTS, "");
        sb.append("blacklist {\n\tdevnode \"^sd").append((char) ('a' + rnd.nextInt(26))).append("\"\n")
                .append("\tdevice {\n\t\tvendor \"V").append(rnd.nextInt(9)).append("\"\n\t}\n}\n");
        sb.append("devices {\n");
        for (int i = rnd.nextInt(3); i >= 0; i--) {
            section(sb, rnd, "device", Section.DEVICE, "\t");
        }
        sb.append("}\noverrides {\n");
        entries(sb, rnd, Section.OVERRIDES, "\t");
        section(sb, rnd, "protocol", Section.PROTOCOL, "\t");
        sb.append("}\nmultipaths {\n");
        for (int i = rnd.nextInt(3); i >= 0; i--) {
            section(sb, rnd, "multipath", Section.MULTIPATH, "\t");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, Random rnd, String word, Section s, String indent) {
        sb.append(indent).append(word).append(" {\n");
        entries(sb, rnd, s, indent + "\t");
        sb.append(indent).append("}\n");
    }

    private static void entries(StringBuilder sb, Random rnd, Section s, String indent) {
        for (Keyword k : Keywords.all(s)) {
            if (rnd.nextInt(3) != 0 || k.isAlias()) {
                continue;
            }
            String v = value(rnd, k);
            if (v != null) {
                sb.append(indent).append(k.name()).append(" \"").append(v.replace("\"", "\"\"")).append("\"\n");
            }
        }
    }

    private static String value(Random rnd, Keyword k) {
        return switch (k.type()) {
            case INT -> String.valueOf(k.min() + rnd.nextInt(100) + (k.min() < 0 ? -k.min() : 0));
            case UINT -> String.valueOf(1 + rnd.nextInt(1000));
            case STRING -> WORDS.get(rnd.nextInt(WORDS.size()));
            case ARG_STRING -> k.argCountIndex() == 0 ? "1 queue_mode" : "round-robin 0";
            case ABS_PATH -> "/var/lib/m" + rnd.nextInt(9);
            case NO_SLASH -> "n" + rnd.nextInt(99);
            case YES_NO, YES_NO_UNDEF -> rnd.nextBoolean() ? "yes" : "no";
            case FIND_MULTIPATHS -> "greedy";
            case MARGINAL_PATHGROUPS -> "on";
            case PGPOLICY -> ValueType.PGPOLICIES.get(rnd.nextInt(5));
            case FAILBACK -> rnd.nextBoolean() ? "followover" : String.valueOf(1 + rnd.nextInt(50));
            case NO_PATH_RETRY -> rnd.nextBoolean() ? "queue" : String.valueOf(1 + rnd.nextInt(50));
            case RR_WEIGHT -> "priorities";
            case OFF_ZERO_INT -> rnd.nextBoolean() ? "off" : String.valueOf(rnd.nextInt(50));
            case DEV_LOSS -> rnd.nextBoolean() ? "infinity" : String.valueOf(1 + rnd.nextInt(500));
            case OFF_INT -> rnd.nextBoolean() ? "no" : String.valueOf(1 + rnd.nextInt(50));
            case MAX_FDS -> String.valueOf(1 + rnd.nextInt(4000));
            case LOG_CHECKER_ERR -> "once";
            case MODE -> "0" + Integer.toOctalString(rnd.nextInt(0777));
            case UID, GID -> String.valueOf(rnd.nextInt(70000));
            case RESERVATION_KEY -> "0x" + Long.toHexString(rnd.nextLong() >>> 1) + (rnd.nextBoolean() ? ":aptpl" : "");
            case UID_ATTRS -> "sd:ID_SERIAL nvme:ID_WWN";
            case VPD_VENDOR -> "hp3par";
            case PROTOCOL_TYPE -> ValueType.PROTOCOLS.get(rnd.nextInt(ValueType.PROTOCOLS.size()));
            default -> null;
        };
    }
}
