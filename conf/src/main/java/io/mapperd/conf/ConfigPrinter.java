package io.mapperd.conf;

import java.util.List;
import java.util.Map;

/**
 * Prints a merged configuration in multipath-tools' formats: {@code multipath -t} / {@code show
 * config}, {@code show config local}, and the sections on their own.
 */
public final class ConfigPrinter {

    private ConfigPrinter() {
    }

    /** The whole configuration as {@code multipath -t} prints it. */
    public static String showConfig(MultipathConfig c) {
        return showConfig(c, null);
    }

    /**
     * As {@code show config local}: the multipaths section limited to the maps that exist, given as
     * WWID to current alias; maps without a multipaths entry are listed by WWID with their alias as
     * a comment. {@code maps} null prints every entry, as {@code show config}.
     */
    public static String showConfig(MultipathConfig c, Map<String, String> maps) {
        StringBuilder sb = new StringBuilder();
        defaults(sb, c);
        blacklist(sb, "blacklist", c.blacklist().rules());
        blacklist(sb, "blacklist_exceptions", c.blacklist().exceptions());
        devices(sb, c.devices());
        overrides(sb, c);
        if (!c.multipaths().isEmpty() || (maps != null && !maps.isEmpty())) {
            multipaths(sb, c, maps);
        }
        return sb.toString();
    }

    /**
     * As {@code show devices}: every block device with its status. {@code monitored} are the
     * devices that are paths of the daemon; the others are checked against the devnode rules.
     */
    public static String showDevices(MultipathConfig c, List<String> blockDevices, java.util.Set<String> monitored) {
        StringBuilder sb = new StringBuilder("available block devices:\n");
        for (String dev : blockDevices) {
            String status;
            if (monitored.contains(dev)) {
                status = " devnode whitelisted, monitored";
            } else {
                BlacklistVerdict v = c.blacklist().check(new PathIdentity(dev, null, null, null, null, null, null), null);
                status = v.blacklisted() ? "devnode blacklisted, unmonitored" : "devnode whitelisted, unmonitored";
            }
            sb.append("    ").append(dev).append(' ').append(status).append('\n');
        }
        return sb.toString();
    }

    /** As {@code show blacklist}: each rule kind with its blacklist and exceptions, and where each rule came from. */
    public static String showBlacklist(MultipathConfig c) {
        StringBuilder sb = new StringBuilder();
        String[][] groups = {{"device node rules:", "DEVNODE"}, {"udev property rules:", "PROPERTY"},
            {"protocol rules:", "PROTOCOL"}, {"wwid rules:", "WWID"}, {"device rules:", "DEVICE"}};
        for (String[] g : groups) {
            RuleKind kind = RuleKind.valueOf(g[1]);
            sb.append(g[0]).append("\n- blacklist:\n");
            report(sb, c.blacklist().rules(kind));
            sb.append("- exceptions:\n");
            report(sb, c.blacklist().exceptions(kind));
        }
        return sb.toString();
    }

    private static void report(StringBuilder sb, List<BlacklistRule> rules) {
        if (rules.isEmpty()) {
            sb.append("        <empty>\n");
        }
        for (BlacklistRule r : rules) {
            sb.append("        ").append(r.isDefault() ? "(default rule)    " : "(config file rule)").append(' ')
                    .append(r.kind() == RuleKind.DEVICE ? r.vendor() + ":" + r.product() : r.regex()).append('\n');
        }
    }

    private static void defaults(StringBuilder sb, MultipathConfig c) {
        sb.append("defaults {\n");
        for (Keyword k : Keywords.printable(Section.DEFAULTS)) {
            Object v = c.defaults().value(k.name());
            String p = k.print(v);
            if (p != null) {
                sb.append('\t').append(k.name()).append(' ').append(p).append('\n');
            }
        }
        sb.append("}\n");
    }

    private static void blacklist(StringBuilder sb, String name, List<BlacklistRule> rules) {
        sb.append(name).append(" {\n");
        for (RuleKind kind : List.of(RuleKind.DEVNODE, RuleKind.WWID, RuleKind.PROPERTY, RuleKind.PROTOCOL)) {
            for (BlacklistRule r : rules) {
                if (r.kind() == kind) {
                    sb.append('\t').append(kind.keyword()).append(' ').append(ValueType.quote(r.regex())).append('\n');
                }
            }
        }
        for (BlacklistRule r : rules) {
            if (r.kind() != RuleKind.DEVICE) {
                continue;
            }
            if (r.vendor() != null) {
                sb.append("\tdevice {\n\t\tvendor ").append(ValueType.quote(r.vendor())).append('\n');
            }
            if (r.product() != null) {
                sb.append("\t\tproduct ").append(ValueType.quote(r.product())).append("\n\t}\n");
            }
        }
        sb.append("}\n");
    }

    private static void devices(StringBuilder sb, List<DeviceEntry> devices) {
        sb.append("devices {\n");
        for (DeviceEntry d : devices) {
            sb.append("\tdevice {\n");
            settings(sb, d.settings(), Section.DEVICE, "\t\t");
            sb.append("\t}\n");
        }
        sb.append("}\n");
    }

    private static void overrides(StringBuilder sb, MultipathConfig c) {
        sb.append("overrides {\n");
        settings(sb, c.overrides(), Section.OVERRIDES, "\t");
        for (ProtocolEntry p : c.protocols()) {
            sb.append("\tprotocol {\n");
            settings(sb, p.settings(), Section.PROTOCOL, "\t\t");
            sb.append("\t}\n");
        }
        sb.append("}\n");
    }

    private static void multipaths(StringBuilder sb, MultipathConfig c, Map<String, String> maps) {
        sb.append("multipaths {\n");
        for (MultipathEntry m : c.multipaths()) {
            if (maps != null && !maps.containsKey(m.wwid())) {
                continue;
            }
            sb.append("\tmultipath {\n");
            settings(sb, m.settings(), Section.MULTIPATH, "\t\t");
            if (maps != null && m.alias() == null) {
                String alias = maps.get(m.wwid());
                if (alias != null && !alias.equals(m.wwid())) {
                    sb.append("\t\t# alias ").append(ValueType.quote(alias).replace("\"\"", "\"")).append('\n');
                }
            }
            sb.append("\t}\n");
        }
        if (maps != null) {
            for (Map.Entry<String, String> e : maps.entrySet()) {
                if (c.multipath(e.getKey()) != null) {
                    continue;
                }
                sb.append("\tmultipath {\n\t\twwid \"").append(e.getKey()).append("\"\n");
                if (e.getValue() != null && !e.getValue().equals(e.getKey())) {
                    sb.append("\t\t# alias \"").append(e.getValue()).append("\"\n");
                }
                sb.append("\t}\n");
            }
        }
        sb.append("}\n");
    }

    /** Prints the settings of one entry in keyword-table order. */
    static void settings(StringBuilder sb, Settings s, Section section, String indent) {
        for (Keyword k : Keywords.printable(section)) {
            Setting st = s.get(k.name()).orElse(null);
            if (st == null) {
                continue;
            }
            String p = st.printed();
            if (p != null) {
                sb.append(indent).append(k.name()).append(' ').append(p).append('\n');
            }
        }
    }
}
