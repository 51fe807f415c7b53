package io.mapperd.multipathd.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scrapes a running daemon with maps, a multipath map and I/O; a path of the
 * multipath map dies. Then every PromQL expression of every dashboard, evaluated by Prometheus,
 * returns data, and the fault is in the failover series.
 */
class PrometheusDashboardTest {
    @TempDir
    Path dir;

    /** What the dashboards' variables are set to for the fixture. */
    static final Map<String, String> VARIABLES = Map.of(
            "instance", ".*", "map", MetricsFixture.MPATH, "path", ".*",
            "__rate_interval", "20s", "__interval", "5s", "__range", "1m");

    @Test
    void everyDashboardExpressionReturnsDataAndThePathFaultShowsAsAFailover() throws Exception {
        Path d = Files.createDirectories(dir.resolve("daemon"));
        Path p = Files.createDirectories(dir.resolve("prometheus"));
        try (MetricsFixture f = new MetricsFixture(d)) {
            f.startLoad();
            String target = "127.0.0.1:" + f.daemon.metrics().address().orElseThrow().getPort();
            try (PrometheusServer prom = new PrometheusServer(p, target)) {
                // the first scrape comes after target discovery (about 5 s)
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !prom.queryWhenUp("mapperd_build_info").isEmpty());
                f.nbdClient();
                Thread.sleep(3000); // a few samples of healthy I/O before the fault
                f.failPath0();
                System.gc(); // the GC pause timer appears with the first collection
                String failovers = "increase(mapperd_map_failovers_total{map=\"" + MetricsFixture.MPATH + "\"}[1m])";
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> PrometheusServer.values(prom.query(failovers)).stream().anyMatch(v -> v > 0));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !prom.query("jvm_gc_pause_seconds_sum").isEmpty()
                                && !prom.query("rate(mapperd_path_checker_duration_seconds_count[20s])").isEmpty());

                List<String> empty = new ArrayList<>();
                int evaluated = 0;
                for (Dashboards.Query q : Dashboards.queries()) {
                    String expr = Dashboards.resolve(q.expr(), VARIABLES);
                    evaluated++;
                    if (prom.query(expr).isEmpty()) {
                        empty.add(q + "\n    as " + expr);
                    }
                }
                assertTrue(evaluated >= 60, "only " + evaluated + " expressions in the dashboards");
                assertTrue(empty.isEmpty(), empty.size() + " of " + evaluated + " expressions returned no data:\n" + String.join("\n", empty));

                Dashboards.Query timeline = Dashboards.queries().stream()
                        .filter(q -> q.panelTitle().equals("Failover timeline") && q.expr().contains("mapperd_map_failovers_total"))
                        .findFirst().orElseThrow();
                String expr = Dashboards.resolve(timeline.expr(), Map.of("instance", ".*", "map", MetricsFixture.MPATH,
                        "path", ".*", "__rate_interval", "1m"));
                List<Double> v = PrometheusServer.values(prom.query(expr));
                assertFalse(v.isEmpty());
                assertTrue(v.stream().anyMatch(x -> x > 0), "the failover timeline shows no failover: " + v);
                List<Double> failed = PrometheusServer.values(prom.query(
                        "mapperd_path_failures_total{map=\"mpatha\",path=\"sdb\",reason=\"io_error\"}"));
                assertTrue(failed.contains(1.0), "path sdb failures by io_error: " + failed);
            }
        }
    }
}
