package io.mapperd.multipathd.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The dashboards in grafana/dashboards, their panels and PromQL expressions, and the metric names these name. */
final class Dashboards {
    /** One query of one panel. */
    record Query(String dashboard, long panelId, String panelTitle, String expr) {
        @Override
        public String toString() {
            return dashboard + " panel " + panelId + " \"" + panelTitle + "\": " + expr;
        }
    }

    private Dashboards() {
    }

    static Path dir() {
        String root = System.getenv("MAPPERD_ROOT");
        Path base = root != null ? Path.of(root) : Path.of("..");
        return base.resolve("grafana").toAbsolutePath().normalize();
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(dir().resolve("dashboards"))) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (l.isEmpty()) {
                throw new IllegalStateException("no dashboards in " + dir().resolve("dashboards"));
            }
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> load(Path p) {
        try {
            return Json.object(Json.parse(Files.readString(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, rows' nested panels included. */
    static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.array(dashboard.get("panels"))) {
            Map<String, Object> p = Json.object(o);
            out.add(p);
            if (p.get("panels") != null) {
                Json.array(p.get("panels")).forEach(n -> out.add(Json.object(n)));
            }
        }
        return out;
    }

    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path f : files()) {
            for (Map<String, Object> p : panels(load(f))) {
                if (p.get("targets") == null) {
                    continue;
                }
                for (Object t : Json.array(p.get("targets"))) {
                    String expr = (String) Json.object(t).get("expr");
                    out.add(new Query(f.getFileName().toString(), ((Double) p.get("id")).longValue(), (String) p.get("title"), expr));
                }
            }
        }
        return out;
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "inf", "nan", "atan2");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, keywords,
     * label names (in braces or grouping clauses), strings, durations or numbers.
     */
    static Set<String> metricNames(String expr) {
        String e = STRING.matcher(expr).replaceAll("\"\"");
        e = e.replaceAll("\\{[^}]*}", " ");
        e = e.replaceAll("\\[[^]]*]", " ");
        e = GROUPING.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < e.length() && e.charAt(after) == ' ') {
                after++;
            }
            boolean call = after < e.length() && e.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!call && !number && !KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }

    /** Grafana's variables in an expression replaced by values Prometheus can evaluate for the fixture. */
    static String resolve(String expr, Map<String, String> values) {
        Matcher m = Pattern.compile("\\$\\{?(\\w+)}?").matcher(expr);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("unknown variable $" + m.group(1) + " in " + expr);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
