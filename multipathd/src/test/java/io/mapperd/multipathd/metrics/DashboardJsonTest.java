package io.mapperd.multipathd.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboards are well-formed: unique panel ids, datasource by variable, and only metrics we serve. */
class DashboardJsonTest {
    static final String DS = "${DS_PROMETHEUS}";

    @TempDir
    Path dir;

    @Test
    void panelIdsAreUniqueWithinEachDashboardAndAcrossThem() {
        Set<Long> all = new HashSet<>();
        Set<String> uids = new HashSet<>();
        for (Path f : Dashboards.files()) {
            Map<String, Object> d = Dashboards.load(f);
            assertTrue(uids.add((String) d.get("uid")), f + ": dashboard uid " + d.get("uid") + " used twice");
            Set<Long> ids = new HashSet<>();
            for (Map<String, Object> p : Dashboards.panels(d)) {
                long id = ((Double) p.get("id")).longValue();
                assertTrue(ids.add(id), f + ": panel id " + id + " (" + p.get("title") + ") used twice");
                assertTrue(all.add(id), f + ": panel id " + id + " also used by another dashboard");
                assertTrue(p.get("gridPos") != null, f + ": panel " + id + " has no gridPos");
            }
            assertTrue(ids.size() > 10, f + " has only " + ids.size() + " panels");
        }
        assertEquals(3, uids.size());
    }

    @Test
    void everyPanelAndQueryTakesItsDatasourceFromTheVariable() {
        for (Path f : Dashboards.files()) {
            Map<String, Object> d = Dashboards.load(f);
            List<Object> vars = Json.array(Json.object(d.get("templating")).get("list"));
            Map<String, Object> dsVar = vars.stream().map(Json::object).filter(v -> "DS_PROMETHEUS".equals(v.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(f + ": no DS_PROMETHEUS variable"));
            assertEquals("datasource", dsVar.get("type"));
            assertEquals("prometheus", dsVar.get("query"));
            for (Object o : vars) {
                Map<String, Object> v = Json.object(o);
                if ("query".equals(v.get("type"))) {
                    assertEquals(DS, Json.object(v.get("datasource")).get("uid"), f + ": variable " + v.get("name"));
                }
            }
            for (Map<String, Object> p : Dashboards.panels(d)) {
                if ("row".equals(p.get("type"))) {
                    continue;
                }
                assertEquals(DS, Json.object(p.get("datasource")).get("uid"), f + ": panel " + p.get("title"));
                for (Object t : Json.array(p.get("targets"))) {
                    assertEquals(DS, Json.object(Json.object(t).get("datasource")).get("uid"), f + ": a query of " + p.get("title"));
                }
            }
        }
    }

    @Test
    void noDatasourceIsNamedByAFixedUid() throws Exception {
        Pattern uid = Pattern.compile("\"uid\"\\s*:\\s*\"([^\"]*)\"");
        for (Path f : Dashboards.files()) {
            Matcher m = uid.matcher(Files.readString(f));
            String own = (String) Dashboards.load(f).get("uid");
            while (m.find()) {
                assertTrue(m.group(1).equals(DS) || m.group(1).equals(own), f + ": fixed uid " + m.group(1));
            }
        }
    }

    @Test
    void theExpressionParserFindsMetricNamesOnly() {
        assertEquals(Set.of("mapperd_map_io_duration_seconds_bucket"), Dashboards.metricNames(
                "histogram_quantile(0.99, sum by (instance, le) (rate(mapperd_map_io_duration_seconds_bucket{instance=~\"$instance\",direction=~\"read|write\"}[$__rate_interval])))"));
        assertEquals(Set.of("process_uptime_seconds", "mapperd_build_info"),
                Dashboards.metricNames("process_uptime_seconds{instance=~\"a\"} and on (instance) mapperd_build_info"));
        assertEquals(Set.of("mapperd_map_active_group"), Dashboards.metricNames("sum(mapperd_map_active_group{x=\"y\"} == bool 0)"));
    }

    /** Metric names in the variables' label_values(METRIC{...}, label) queries. */
    static List<String> variableMetrics() {
        List<String> out = new ArrayList<>();
        Pattern lv = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
        for (Path f : Dashboards.files()) {
            for (Object o : Json.array(Json.object(Dashboards.load(f).get("templating")).get("list"))) {
                Map<String, Object> v = Json.object(o);
                if ("query".equals(v.get("type"))) {
                    Matcher m = lv.matcher((String) v.get("definition"));
                    assertTrue(m.find(), f + ": variable " + v.get("name") + " is not a label_values query");
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** Sample names in a text exposition. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardsNameIsInOurExposition() throws Exception {
        try (MetricsFixture f = new MetricsFixture(dir)) {
            f.startLoad();
            f.failPath0();
            System.gc(); // the GC pause timer appears with the first collection
            await().until(() -> {
                Set<String> have = sampleNames(f.scrape());
                return have.contains("mapperd_path_checker_duration_seconds_bucket") && have.contains("jvm_gc_pause_seconds_sum");
            });
            Set<String> have = sampleNames(f.scrape());
            List<String> missing = new ArrayList<>();
            int checked = 0;
            for (Dashboards.Query q : Dashboards.queries()) {
                Set<String> names = Dashboards.metricNames(q.expr());
                assertFalse(names.isEmpty(), q + ": names no metric");
                for (String n : names) {
                    checked++;
                    if (!have.contains(n)) {
                        missing.add(n + " in " + q);
                    }
                }
            }
            for (String n : variableMetrics()) {
                if (!have.contains(n)) {
                    missing.add(n + " in a template variable");
                }
            }
            assertTrue(missing.isEmpty(), "not in the exposition:\n" + String.join("\n", missing));
            assertTrue(checked > 60, "only " + checked + " metric references checked");
        }
    }
}
