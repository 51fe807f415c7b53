package io.mapperd.conf.parse;

import io.mapperd.conf.BlacklistRule;
import io.mapperd.conf.ConfigFile;
import io.mapperd.conf.Keyword;
import io.mapperd.conf.Keywords;
import io.mapperd.conf.RuleKind;
import io.mapperd.conf.Setting;
import io.mapperd.conf.Settings;
import io.mapperd.conf.ValueType;
import java.util.List;

/** Writes one configuration source in multipath.conf syntax; {@link ConfParser} reads it back unchanged. */
public final class ConfWriter {

    private ConfWriter() {
    }

    public static String write(ConfigFile f) {
        StringBuilder sb = new StringBuilder();
        if (!f.defaults().isEmpty()) {
            sb.append("defaults {\n");
            settings(sb, f.defaults(), "\t");
            sb.append("}\n");
        }
        rules(sb, "blacklist", f.blacklist());
        rules(sb, "blacklist_exceptions", f.exceptions());
        if (!f.devices().isEmpty()) {
            sb.append("devices {\n");
            f.devices().forEach(d -> entry(sb, "device", d.settings(), "\t"));
            sb.append("}\n");
        }
        if (!f.overrides().isEmpty() || !f.protocols().isEmpty()) {
            sb.append("overrides {\n");
            settings(sb, f.overrides(), "\t");
            f.protocols().forEach(p -> entry(sb, "protocol", p.settings(), "\t"));
            sb.append("}\n");
        }
        if (!f.multipaths().isEmpty()) {
            sb.append("multipaths {\n");
            f.multipaths().forEach(m -> entry(sb, "multipath", m.settings(), "\t"));
            sb.append("}\n");
        }
        if (!f.iscsiPortals().isEmpty() || !f.nvmeDiscoveries().isEmpty()) {
            sb.append("mapperd_transports {\n");
            f.iscsiPortals().forEach(p -> entry(sb, "iscsi_portal", p.settings(), "\t"));
            f.nvmeDiscoveries().forEach(n -> entry(sb, "nvme_discovery", n.settings(), "\t"));
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static void rules(StringBuilder sb, String name, List<BlacklistRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        sb.append(name).append(" {\n");
        for (BlacklistRule r : rules) {
            if (r.kind() != RuleKind.DEVICE) {
                sb.append('\t').append(r.kind().keyword()).append(' ').append(ValueType.quote(r.regex())).append('\n');
                continue;
            }
            sb.append("\tdevice {\n");
            if (r.vendor() != null) {
                sb.append("\t\tvendor ").append(ValueType.quote(r.vendor())).append('\n');
            }
            if (r.product() != null) {
                sb.append("\t\tproduct ").append(ValueType.quote(r.product())).append('\n');
            }
            sb.append("\t}\n");
        }
        sb.append("}\n");
    }

    private static void entry(StringBuilder sb, String word, Settings s, String indent) {
        sb.append(indent).append(word).append(" {\n");
        settings(sb, s, indent + "\t");
        sb.append(indent).append("}\n");
    }

    private static void settings(StringBuilder sb, Settings s, String indent) {
        for (Keyword k : Keywords.printable(s.section())) {
            Setting st = s.get(k.name()).orElse(null);
            if (st != null) {
                String v = k.type().format(st.value());
                boolean number = st.value() instanceof Long;
                sb.append(indent).append(k.name()).append(' ').append(number ? v : ValueType.quote(v)).append('\n');
            }
        }
    }
}
