package io.mapperd.conf;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kinds of value multipath.conf keywords take. Each parses a raw value the way multipath-tools
 * does (same accepted words, same range handling, same warnings) and prints it back the way
 * {@code multipath -t} does: a null print means "not shown".
 */
public enum ValueType {
    INT, UINT, STRING, ARG_STRING, ABS_PATH, NO_SLASH, YES_NO, YES_NO_UNDEF,
    FIND_MULTIPATHS, MARGINAL_PATHGROUPS, PGPOLICY, FAILBACK, NO_PATH_RETRY, RR_WEIGHT,
    OFF_ZERO_INT, DEV_LOSS, OFF_INT, MAX_FDS, LOG_CHECKER_ERR, MODE, UID, GID,
    RESERVATION_KEY, UID_ATTRS, VPD_VENDOR, PROTOCOL_TYPE, DEPRECATED, IGNORED,
    ISCSI_ENDPOINT, NVME_ENDPOINT, ISCSI_NAME, NQN, SECRET;

    static final long INT_MAX = Integer.MAX_VALUE;
    static final long INT_MIN = Integer.MIN_VALUE;
    static final long UINT_MAX = 0xffffffffL;

    public static final List<String> PGPOLICIES =
            List.of("failover", "multibus", "group_by_serial", "group_by_prio", "group_by_node_name");
    public static final List<String> PROTOCOLS = List.of("undef", "ccw", "cciss", "scsi:fcp", "scsi:spi",
            "scsi:ssa", "scsi:sbp", "scsi:srp", "scsi:iscsi", "scsi:sas", "scsi:adt", "scsi:ata", "scsi:usb",
            "scsi:unspec", "nvme:pcie", "nvme:rdma", "nvme:fc", "nvme:tcp", "nvme:loop", "nvme:apple-nvme",
            "nvme:unspec");
    private static final Set<String> VPD_VENDORS = Set.of("hp3par");
    private static final Pattern PRKEY = Pattern.compile("(?:0?[xX])?([0-9a-fA-F]{1,16})");
    private static final Pattern OCTAL = Pattern.compile("\\s*[0-7]+.*");
    private static final Pattern HOST_PORT =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");
    private static final Pattern ISCSI_NAME_FORM =
            Pattern.compile("(iqn\\.[0-9]{4}-[0-9]{2}\\.[^\\s]+|eui\\.[0-9A-Fa-f]{16}|naa\\.[0-9A-Fa-f]{16,32})");
    private static final Pattern NQN_FORM = Pattern.compile("nqn\\.[0-9]{4}-[0-9]{2}\\.[^\\s]+");

    /** Parses {@code raw} for keyword {@code kw}; never throws. */
    public ParsedValue parse(Keyword kw, String raw) {
        String name = kw.name();
        return switch (this) {
            case INT -> parseInt(name, raw, kw.min(), kw.max());
            case UINT -> parseUint(name, raw);
            case STRING, SECRET -> ParsedValue.ok(raw);
            case ARG_STRING -> parseArgString(name, raw, kw.argCountIndex());
            case ABS_PATH -> raw.startsWith("/") ? ParsedValue.ok(raw)
                    : ParsedValue.ignored(raw + " is not an absolute path. Ignoring");
            case NO_SLASH -> raw.contains("/") ? ParsedValue.ignored(raw + " cannot contain a slash. Ignoring")
                    : ParsedValue.ok(raw);
            case YES_NO, YES_NO_UNDEF -> switch (raw) {
                case "yes", "1" -> ParsedValue.ok(Boolean.TRUE);
                case "no", "0" -> ParsedValue.ok(Boolean.FALSE);
                default -> invalid(name, raw);
            };
            case FIND_MULTIPATHS -> switch (raw) {
                case "off", "on", "strict", "greedy", "smart" -> ParsedValue.ok(raw);
                case "no", "0" -> ParsedValue.ok("off");
                case "yes", "1" -> ParsedValue.ok("on");
                default -> invalid(name, raw);
            };
            case MARGINAL_PATHGROUPS -> switch (raw) {
                case "off", "on" -> ParsedValue.ok(raw);
                case "no", "0" -> ParsedValue.ok("off");
                case "yes", "1" -> ParsedValue.ok("on");
                case "fpin" -> ParsedValue.ignored("support for \"fpin\" is not compiled in for marginal_pathgroups");
                default -> invalid(name, raw);
            };
            case PGPOLICY -> parsePgpolicy(raw);
            case FAILBACK -> switch (raw) {
                case "manual", "immediate", "followover" -> ParsedValue.ok(raw);
                default -> parseInt(name, raw, 0, INT_MAX);
            };
            case NO_PATH_RETRY -> switch (raw) {
                case "fail", "0" -> ParsedValue.ok("fail");
                case "queue" -> ParsedValue.ok("queue");
                default -> parseInt(name, raw, 1, INT_MAX);
            };
            case RR_WEIGHT -> raw.equals("priorities") || raw.equals("uniform") ? ParsedValue.ok(raw)
                    : invalid(name, raw);
            case OFF_ZERO_INT -> switch (raw) {
                case "off" -> ParsedValue.ok("off");
                case "0" -> ParsedValue.ok(0L);
                default -> parseInt(name, raw, 1, INT_MAX);
            };
            case DEV_LOSS -> parseDevLoss(name, raw);
            case OFF_INT -> raw.equals("no") || raw.equals("0") ? ParsedValue.ok("no")
                    : parseInt(name, raw, 1, INT_MAX);
            case MAX_FDS -> raw.equals("max") ? ParsedValue.ok("max") : parseInt(name, raw, 0, systemMaxFds());
            case LOG_CHECKER_ERR -> raw.equals("once") || raw.equals("always") ? ParsedValue.ok(raw)
                    : invalid(name, raw);
            case MODE -> parseMode(raw);
            case UID, GID -> parseId(raw, this == UID);
            case RESERVATION_KEY -> parseReservationKey(name, raw);
            case UID_ATTRS -> parseUidAttrs(raw);
            case VPD_VENDOR -> VPD_VENDORS.contains(raw) ? ParsedValue.ok(raw) : invalid(name, raw);
            case PROTOCOL_TYPE -> PROTOCOLS.contains(raw) ? ParsedValue.ok(raw)
                    : ParsedValue.ignored("invalid value for type: \"" + raw + "\"");
            case DEPRECATED -> ParsedValue.ignored("ignoring deprecated option \"" + name + "\"");
            case IGNORED -> ParsedValue.ok(null);
            case ISCSI_ENDPOINT -> parseEndpoint(name, raw, 3260);
            case NVME_ENDPOINT -> parseEndpoint(name, raw, 8009);
            case ISCSI_NAME -> ISCSI_NAME_FORM.matcher(raw).matches() ? ParsedValue.ok(raw)
                    : ParsedValue.fatal("invalid iSCSI name for " + name + ": \"" + raw
                            + "\" (expected iqn.YYYY-MM.reverse.domain[:id], eui. or naa.)");
            case NQN -> NQN_FORM.matcher(raw).matches() ? ParsedValue.ok(raw)
                    : ParsedValue.fatal("invalid NQN for " + name + ": \"" + raw + "\" (expected nqn.YYYY-MM.domain...)");
        };
    }

    /**
     * True when multipath-tools treats this stored value as "not set" (for example
     * {@code dev_loss_tmo 0} or {@code rr_min_io 0}), so a lower level applies.
     */
    public boolean isUnset(Keyword kw, Object value) {
        if (value == null) {
            return true;
        }
        boolean zero = value instanceof Long l && l == 0L;
        return switch (this) {
            case FAILBACK, DEV_LOSS, MAX_FDS -> zero;
            case INT -> zero && kw.zeroIsUnset();
            default -> false;
        };
    }

    /** The value as {@code multipath -t} prints it, or null when it prints nothing. */
    public String print(Keyword kw, Object value) {
        if (value == null && this != IGNORED) {
            return null;
        }
        return switch (this) {
            case INT, UINT -> isUnset(kw, value) ? null : value.toString();
            case STRING, ARG_STRING, ABS_PATH, NO_SLASH, FIND_MULTIPATHS, MARGINAL_PATHGROUPS, PGPOLICY,
                 RR_WEIGHT, LOG_CHECKER_ERR, VPD_VENDOR, PROTOCOL_TYPE, ISCSI_ENDPOINT, NVME_ENDPOINT,
                 ISCSI_NAME, NQN, SECRET -> quote(value.toString());
            case YES_NO, YES_NO_UNDEF -> quote(((Boolean) value) ? "yes" : "no");
            case FAILBACK, NO_PATH_RETRY, OFF_INT -> value instanceof String s ? quote(s)
                    : isUnset(kw, value) ? null : value.toString();
            case OFF_ZERO_INT -> value.toString();
            case DEV_LOSS -> value instanceof String s ? quote(s)
                    : ((Long) value) == 0 ? null : ((Long) value) >= UINT_MAX ? quote("infinity") : value.toString();
            case MAX_FDS -> value instanceof String s ? quote(s)
                    : ((Long) value) == 0 ? null : ((Long) value) >= systemMaxFds() ? quote("max") : value.toString();
            case MODE, UID, GID -> "0" + Long.toOctalString((Long) value);
            case RESERVATION_KEY -> value.equals("file") ? quote("file") : value.toString();
            case UID_ATTRS -> value.toString().isEmpty() ? null : value.toString();
            case DEPRECATED -> null;
            case IGNORED -> quote("ignored");
        };
    }

    /**
     * The value as a writer puts it back into a file so that it reads back the same: booleans as
     * yes/no, numbers in decimal (mode in octal), words and strings as they are.
     */
    public String format(Object value) {
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (value instanceof Long l) {
            return this == MODE ? "0" + Long.toOctalString(l) : l.toString();
        }
        return value.toString();
    }

    /** Wraps in double quotes, doubling embedded quotes, as multipath-tools prints strings. */
    public static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static ParsedValue invalid(String name, String raw) {
        return ParsedValue.ignored("invalid value for " + name + ": \"" + raw + "\"");
    }

    private static ParsedValue parseInt(String name, String raw, long min, long max) {
        String t = raw.stripLeading();
        int end = t.length();
        while (end > 0 && Character.isWhitespace(t.charAt(end - 1))) {
            end--;
        }
        String digits = t.substring(0, end);
        if (raw.isEmpty() || !digits.matches("[+-]?[0-9]+")) {
            return invalid(name, raw);
        }
        BigInteger v = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            return ParsedValue.adjusted(max, "value for " + name + " too large, capping at " + max);
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            return ParsedValue.adjusted(min, "value for " + name + " too small, capping at " + min);
        }
        return ParsedValue.ok(v.longValue());
    }

    private static ParsedValue parseUint(String name, String raw) {
        String t = raw.strip();
        if (!t.matches("[0-9]+") || new BigInteger(t).compareTo(BigInteger.valueOf(UINT_MAX)) > 0) {
            return invalid(name, raw);
        }
        return ParsedValue.ok(Long.parseLong(t));
    }

    private static ParsedValue parseArgString(String name, String raw, int countIndex) {
        String[] words = raw.strip().isEmpty() ? new String[0] : raw.strip().split("[ \\f\\r\\t\\u000B]+");
        if (words.length <= countIndex || !words[countIndex].matches("[+-]?[0-9]{1,18}")) {
            return ParsedValue.ignored("missing argument count for " + name);
        }
        long count = Long.parseLong(words[countIndex]);
        if (count < 0) {
            return ParsedValue.ignored("missing argument count for " + name);
        }
        int actual = words.length - 1 - countIndex;
        if (count != actual) {
            return ParsedValue.ignored("invalid argument count for " + name + ":, got '" + count
                    + "' expected '" + actual + "'");
        }
        return ParsedValue.ok(raw);
    }

    private static ParsedValue parsePgpolicy(String raw) {
        for (String p : PGPOLICIES) {
            if (raw.startsWith(p)) {
                return ParsedValue.ok(p);
            }
        }
        return invalid("path_grouping_policy", raw);
    }

    private static ParsedValue parseDevLoss(String name, String raw) {
        if (raw.equals("infinity")) {
            return ParsedValue.ok("infinity");
        }
        String t = raw.stripLeading();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return ParsedValue.ignored("invalid value for dev_loss_tmo: \"" + raw + "\"");
        }
        BigInteger v = new BigInteger(t.substring(0, i));
        if (v.compareTo(BigInteger.valueOf(UINT_MAX)) >= 0) {
            return ParsedValue.ok("infinity");
        }
        return ParsedValue.ok(v.longValue());
    }

    private static ParsedValue parseMode(String raw) {
        if (OCTAL.matcher(raw).matches()) {
            String t = raw.strip();
            int i = 0;
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '7') {
                i++;
            }
            BigInteger v = new BigInteger(t.substring(0, i), 8);
            if (v.compareTo(BigInteger.valueOf(0777)) <= 0) {
                return ParsedValue.ok(v.longValue());
            }
        }
        return ParsedValue.ignored("invalid value for mode: \"" + raw + "\"");
    }

    private static ParsedValue parseId(String raw, boolean uid) {
        long[] entry = passwdEntry(raw);
        if (entry != null) {
            return ParsedValue.ok(uid ? entry[0] : entry[1]);
        }
        String t = raw.strip();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i > 0 && i <= 10 && Long.parseLong(t.substring(0, i)) <= UINT_MAX) {
            return ParsedValue.ok(Long.parseLong(t.substring(0, i)));
        }
        return ParsedValue.ignored("invalid value for " + (uid ? "uid" : "gid") + ": \"" + raw + "\"");
    }

    /** The uid and gid of a user name from /etc/passwd, or null. */
    private static long[] passwdEntry(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(name)) {
                    return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static ParsedValue parseReservationKey(String name, String raw) {
        if (raw.equals("file")) {
            return ParsedValue.ok("file");
        }
        String key = raw;
        boolean aptpl = false;
        int colon = raw.indexOf(':');
        if (colon >= 0) {
            key = raw.substring(0, colon);
            aptpl = raw.substring(colon + 1).equals("aptpl");
        }
        var m = PRKEY.matcher(key);
        if (!m.matches()) {
            return ParsedValue.fatal("invalid value for " + name + ": \"" + raw + "\"");
        }
        long v = Long.parseUnsignedLong(m.group(1), 16);
        return ParsedValue.ok("0x" + Long.toHexString(v) + (aptpl ? ":aptpl" : ""));
    }

    private static ParsedValue parseUidAttrs(String raw) {
        List<String> good = new ArrayList<>();
        boolean bad = false;
        for (String w : raw.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (w.indexOf(':') < 0) {
                bad = true;
            } else {
                good.add(w);
            }
        }
        String joined = String.join(" ", good);
        return bad ? ParsedValue.adjusted(joined, "error parsing uid_attrs: \"" + raw + "\"") : ParsedValue.ok(joined);
    }

    private static ParsedValue parseEndpoint(String name, String raw, int defaultPort) {
        var m = HOST_PORT.matcher(raw);
        if (!m.matches()) {
            return ParsedValue.fatal("invalid address for " + name + ": \"" + raw + "\" (expected HOST[:PORT])");
        }
        int port = m.group(2) == null ? defaultPort : Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return ParsedValue.fatal("invalid port for " + name + ": \"" + raw + "\" (1 to 65535)");
        }
        return ParsedValue.ok(m.group(1) + ":" + port);
    }

    /** The system's limit on open files, as {@code max_fds "max"} means; 4096 when unknown. */
    public static long systemMaxFds() {
        try {
            try (var r = Files.newBufferedReader(Path.of("/proc/sys/fs/nr_open"))) {
                String line = r.readLine();
                return line == null ? 4096 : Long.parseLong(line.strip());
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 4096;
        }
    }
}
