package io.mapperd.conf.yaml;

import io.mapperd.conf.ConfigFile;
import io.mapperd.conf.ConfigFileBuilder;
import io.mapperd.conf.ConfigFileBuilder.Entry;
import io.mapperd.conf.Keyword;
import io.mapperd.conf.RuleKind;
import io.mapperd.conf.Severity;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the YAML form of a configuration. Sections and keywords are those of multipath.conf; every
 * value is taken as the text written and goes through the same checks as in multipath.conf, with
 * problems reported at the YAML line.
 */
public final class YamlReader {
    private final ConfigFileBuilder out;

    private YamlReader(ConfigFileBuilder out) {
        this.out = out;
    }

    public static ConfigFile parse(String text, String file) {
        return parse(text, file, false);
    }

    public static ConfigFile parse(String text, String file, boolean builtin) {
        ConfigFileBuilder b = new ConfigFileBuilder(file, builtin);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(16 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            b.problem(Severity.ERROR, line, "YAML syntax error: " + e.getProblem());
            return b.build();
        } catch (YAMLException e) {
            b.problem(Severity.ERROR, 0, "YAML error: " + e.getMessage());
            return b.build();
        }
        if (root != null) {
            new YamlReader(b).top(root);
        }
        return b.build();
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private void top(Node root) {
        if (!(root instanceof MappingNode m)) {
            out.problem(Severity.ERROR, line(root), "the top level must be a mapping of sections");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            if (!seen.add(key)) {
                warn(t.getKeyNode(), "duplicate keyword: " + key);
            }
            switch (key) {
                case "defaults" -> settings(v, out.defaults(), "defaults");
                case "overrides" -> overrides(v);
                case "blacklist" -> blacklist(v, false);
                case "blacklist_exceptions" -> blacklist(v, true);
                case "devices" -> {
                    for (Node d : list(v, "devices")) {
                        settings(d, out.newDevice(line(d)), "device");
                    }
                }
                case "multipaths" -> {
                    for (Node d : list(v, "multipaths")) {
                        settings(d, out.newMultipath(line(d)), "multipath");
                    }
                }
                case "mapperd_transports" -> transports(v);
                default -> warn(t.getKeyNode(), "invalid keyword: " + key);
            }
        }
    }

    private void warn(Node at, String message) {
        out.problem(Severity.WARNING, line(at), message);
    }

    private String key(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode s) {
            return s.getValue();
        }
        warn(t.getKeyNode(), "a key must be a plain word");
        return null;
    }

    /** A sequence's items; a single mapping is taken as a list of one. */
    private List<Node> list(Node v, String section) {
        if (v instanceof SequenceNode s) {
            return s.getValue();
        }
        if (v instanceof MappingNode) {
            return List.of(v);
        }
        if (v instanceof ScalarNode s && s.getValue().isEmpty()) {
            return List.of();
        }
        warn(v, section + " must be a list");
        return List.of();
    }

    private MappingNode mapping(Node v, String section) {
        if (v instanceof MappingNode m) {
            return m;
        }
        if (!(v instanceof ScalarNode s && s.getValue().isEmpty())) {
            warn(v, section + " must be a mapping of keywords");
        }
        return null;
    }

    private String scalar(Node v, String keyword) {
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        warn(v, "invalid value for " + keyword + ": expected a single value");
        return null;
    }

    private void settings(Node v, Entry entry, String section) {
        MappingNode m = mapping(v, section);
        if (m == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            if (entry.section() == io.mapperd.conf.Section.OVERRIDES && key.equals("protocol")) {
                for (Node p : list(t.getValueNode(), "protocol")) {
                    settings(p, out.newProtocol(line(p)), "protocol");
                }
                continue;
            }
            Optional<Keyword> kw = ConfigFileBuilder.keyword(entry, key);
            if (kw.isEmpty()) {
                warn(t.getKeyNode(), "invalid keyword in the " + section + " section: " + key);
                continue;
            }
            if (!seen.add(key)) {
                warn(t.getKeyNode(), "duplicate keyword: " + key);
            }
            String raw = scalar(t.getValueNode(), key);
            if (raw != null) {
                out.set(entry, kw.get(), raw, line(t.getValueNode()));
            }
        }
    }

    private void overrides(Node v) {
        settings(v, out.overrides(), "overrides");
    }

    private void blacklist(Node v, boolean exception) {
        String section = exception ? "blacklist_exceptions" : "blacklist";
        MappingNode m = mapping(v, section);
        if (m == null) {
            return;
        }
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            if (key.equals("device")) {
                for (Node d : list(t.getValueNode(), "device")) {
                    blacklistDevice(d, exception);
                }
                continue;
            }
            RuleKind kind = null;
            for (RuleKind k : RuleKind.values()) {
                if (k != RuleKind.DEVICE && k.keyword().equals(key)) {
                    kind = k;
                }
            }
            if (kind == null) {
                warn(t.getKeyNode(), "invalid keyword in the " + section + " section: " + key);
                continue;
            }
            Node rv = t.getValueNode();
            List<Node> items = rv instanceof SequenceNode s ? s.getValue() : List.of(rv);
            for (Node item : items) {
                String raw = scalar(item, key);
                if (raw != null) {
                    out.rule(exception, kind, raw, line(item));
                }
            }
        }
    }

    private void blacklistDevice(Node d, boolean exception) {
        MappingNode m = mapping(d, "device");
        if (m == null) {
            return;
        }
        Entry e = out.newBlacklistDevice(exception, line(d));
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            if (!key.equals("vendor") && !key.equals("product")) {
                warn(t.getKeyNode(), "invalid keyword in the device section: " + key);
                continue;
            }
            String raw = scalar(t.getValueNode(), key);
            if (raw != null) {
                out.deviceRulePart(e, key, raw, line(t.getValueNode()));
            }
        }
    }

    private void transports(Node v) {
        MappingNode m = mapping(v, "mapperd_transports");
        if (m == null) {
            return;
        }
        for (NodeTuple t : m.getValue()) {
            String key = key(t);
            if (key == null) {
                continue;
            }
            switch (key) {
                case "iscsi_portal" -> {
                    for (Node p : list(t.getValueNode(), key)) {
                        settings(p, out.newIscsiPortal(line(p)), key);
                    }
                }
                case "nvme_discovery" -> {
                    for (Node p : list(t.getValueNode(), key)) {
                        settings(p, out.newNvmeDiscovery(line(p)), key);
                    }
                }
                default -> warn(t.getKeyNode(), "invalid keyword in the mapperd_transports section: " + key);
            }
        }
    }
}
