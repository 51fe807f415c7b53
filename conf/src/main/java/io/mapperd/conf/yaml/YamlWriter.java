package io.mapperd.conf.yaml;

import io.mapperd.conf.BlacklistRule;
import io.mapperd.conf.ConfigFile;
import io.mapperd.conf.Keyword;
import io.mapperd.conf.Keywords;
import io.mapperd.conf.RuleKind;
import io.mapperd.conf.Setting;
import io.mapperd.conf.Settings;
import java.util.List;

/** Writes one configuration source in the YAML form; {@link YamlReader} reads it back unchanged. */
public final class YamlWriter {

    private YamlWriter() {
    }

    public static String write(ConfigFile f) {
        StringBuilder sb = new StringBuilder();
        if (!f.defaults().isEmpty()) {
            sb.append("defaults:\n");
            settings(sb, f.defaults(), "  ", "  ");
        }
        rules(sb, "blacklist", f.blacklist());
        rules(sb, "blacklist_exceptions", f.exceptions());
        list(sb, "devices", f.devices().stream().map(d -> d.settings()).toList(), "");
        if (!f.overrides().isEmpty() || !f.protocols().isEmpty()) {
            sb.append("overrides:\n");
            settings(sb, f.overrides(), "  ", "  ");
            list(sb, "protocol", f.protocols().stream().map(p -> p.settings()).toList(), "  ");
        }
        list(sb, "multipaths", f.multipaths().stream().map(m -> m.settings()).toList(), "");
        if (!f.iscsiPortals().isEmpty() || !f.nvmeDiscoveries().isEmpty()) {
            sb.append("mapperd_transports:\n");
            list(sb, "iscsi_portal", f.iscsiPortals().stream().map(p -> p.settings()).toList(), "  ");
            list(sb, "nvme_discovery", f.nvmeDiscoveries().stream().map(n -> n.settings()).toList(), "  ");
        }
        return sb.toString();
    }

    private static void list(StringBuilder sb, String name, List<Settings> entries, String indent) {
        if (entries.isEmpty()) {
            return;
        }
        sb.append(indent).append(name).append(":\n");
        for (Settings s : entries) {
            if (s.isEmpty()) {
                sb.append(indent).append("  - {}\n");
            } else {
                settings(sb, s, indent + "  - ", indent + "    ");
            }
        }
    }

    private static void rules(StringBuilder sb, String name, List<BlacklistRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        sb.append(name).append(":\n");
        for (RuleKind kind : RuleKind.values()) {
            List<BlacklistRule> of = rules.stream().filter(r -> r.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            sb.append("  ").append(kind.keyword()).append(":\n");
            for (BlacklistRule r : of) {
                if (kind != RuleKind.DEVICE) {
                    sb.append("    - ").append(quote(r.regex())).append('\n');
                } else if (r.vendor() == null && r.product() == null) {
                    sb.append("    - {}\n");
                } else {
                    String first = "    - ";
                    if (r.vendor() != null) {
                        sb.append(first).append("vendor: ").append(quote(r.vendor())).append('\n');
                        first = "      ";
                    }
                    if (r.product() != null) {
                        sb.append(first).append("product: ").append(quote(r.product())).append('\n');
                    }
                }
            }
        }
    }

    private static void settings(StringBuilder sb, Settings s, String first, String rest) {
        String lead = first;
        for (Keyword k : Keywords.printable(s.section())) {
            Setting st = s.get(k.name()).orElse(null);
            if (st == null) {
                continue;
            }
            String v = k.type().format(st.value());
            sb.append(lead).append(k.name()).append(": ").append(st.value() instanceof Long ? v : quote(v)).append('\n');
            lead = rest;
        }
    }

    /** A YAML double-quoted scalar. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) || c == 0xfeff
                            || c == 0xfffe || c == 0xffff) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
