package io.mapperd.multipathd.metrics;

import io.mapperd.multipathd.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What /metrics serves over a daemon with maps, paths and I/O, checked by promtool and by value. */
class ExpositionTest {
    @TempDir
    Path dir;
    MetricsFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new MetricsFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in the exposition");
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void promtoolFindsNothingToLintInTheExposition() throws Exception {
        Path promtool = Peers.require("promtool", "/usr/bin", "/usr/local/bin");
        f.startLoad();
        await().until(() -> value(f.scrape(), "mapperd_map_ios_total{direction=\"write\",map=\"mpatha\",}") > 10);
        f.failPath0();
        await().until(() -> value(f.scrape(), "mapperd_map_failovers_total{map=\"mpatha\",}") >= 1);
        Path text = Files.writeString(dir.resolve("metrics.txt"), f.scrape());
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(text.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "promtool check metrics: " + out);
        assertEquals("", out.trim());
    }

    @Test
    void mapAndPathCountersFollowTheIoAndAPathFaultShowsAsAFailover() throws Exception {
        f.startLoad();
        await().until(() -> value(f.scrape(), "mapperd_path_ios_total{direction=\"write\",map=\"mpatha\",path=\"sdb\",}") > 5);
        String before = f.scrape();
        assertEquals(1, value(before, "mapperd_map_active_group{map=\"mpatha\",}"));
        assertEquals(2, value(before, "mapperd_map_paths{map=\"mpatha\",state=\"active\",}"));
        assertEquals(0, value(before, "mapperd_path_ios_total{direction=\"write\",map=\"mpatha\",path=\"sdc\",}"));
        assertEquals(SECTORS_BYTES, value(before, "mapperd_map_size_bytes{map=\"data-linear\",}"));
        assertEquals(1, value(before, "mapperd_path_checker_state{map=\"mpatha\",path=\"sdb\",state=\"ready\",}"));
        assertTrue(value(before, "mapperd_map_io_duration_seconds_bucket{direction=\"read\",map=\"data-linear\",le=\"+Inf\",}") > 0);

        f.failPath0();
        await().until(() -> value(f.scrape(), "mapperd_path_ios_total{direction=\"write\",map=\"mpatha\",path=\"sdc\",}") > 5);
        String after = f.scrape();
        assertEquals(1, value(after, "mapperd_map_failovers_total{map=\"mpatha\",}"));
        assertEquals(1, value(after, "mapperd_map_group_switches_total{map=\"mpatha\",}"));
        assertEquals(2, value(after, "mapperd_map_active_group{map=\"mpatha\",}"));
        assertEquals(1, value(after, "mapperd_map_paths{map=\"mpatha\",state=\"failed\",}"));
        assertEquals(0, value(after, "mapperd_path_active{map=\"mpatha\",path=\"sdb\",}"));
        assertEquals(1, value(after, "mapperd_path_failures_total{map=\"mpatha\",path=\"sdb\",reason=\"io_error\",}"));
        assertTrue(value(after, "mapperd_path_io_errors_total{direction=\"write\",map=\"mpatha\",path=\"sdb\",}")
                + value(after, "mapperd_path_io_errors_total{direction=\"read\",map=\"mpatha\",path=\"sdb\",}") >= 1);
        assertEquals(0, value(after, "mapperd_map_io_errors_total{direction=\"write\",map=\"mpatha\",}"));
        await().until(() -> value(f.scrape(), "mapperd_path_checker_state{map=\"mpatha\",path=\"sdb\",state=\"faulty\",}") == 1);
    }

    static final double SECTORS_BYTES = MetricsFixture.SECTORS * 512.0;

    @Test
    void removedDevicesLeaveTheExposition() throws Exception {
        assertTrue(f.scrape().contains("map=\"data-striped\""));
        f.dm.remove("data-striped", false, false);
        await().until(() -> !f.scrape().contains("map=\"data-striped\""));
    }

    @Test
    void onlyGetOfMetricsIsServed() throws Exception {
        String base = f.metricsUrl().replace("/metrics", "");
        try (HttpClient c = HttpClient.newHttpClient()) {
            assertEquals(404, c.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(404, c.send(HttpRequest.newBuilder(URI.create(base + "/metricsx")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            HttpResponse<Void> post = c.send(HttpRequest.newBuilder(URI.create(f.metricsUrl())).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(405, post.statusCode());
            assertEquals(List.of("GET, HEAD"), post.headers().allValues("Allow"));
        }
    }

    @Test
    void nbdClientsAndRequestsAreCounted() throws Exception {
        f.nbdClient();
        // the server lets go of the client when its channel closes, just after qemu-io exits
        await().until(() -> value(f.scrape(), "mapperd_nbd_clients") == 0);
        String s = f.scrape();
        assertEquals(1, value(s, "mapperd_nbd_connections_total"));
        assertTrue(value(s, "mapperd_nbd_requests_total{direction=\"write\",}") >= 1);
        assertTrue(value(s, "mapperd_nbd_requests_total{direction=\"read\",}") >= 1);
        assertTrue(value(s, "mapperd_map_io_bytes_total{direction=\"write\",map=\"data-export\",}") >= 1 << 20);
    }

    @Test
    void jvmProcessAndDaemonSeriesArePresent() throws IOException, InterruptedException {
        System.gc(); // the GC pause timer appears with the first collection the daemon's registry sees
        await().until(() -> f.scrape().contains("jvm_gc_pause_seconds"));
        String s = f.scrape();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files", "system_cpus", "process_cpu_seconds_total", "mapperd_build_info",
                "mapperd_config_reloads_total{result=\"success\",}", "mapperd_checker_loop_duration_seconds_bucket",
                "mapperd_nbd_clients", "mapperd_nbd_requests_total")) {
            assertTrue(s.contains(name), name + " missing");
        }
        assertEquals(1, value(s, "mapperd_config_reloads_total{result=\"success\",}"));
    }
}
