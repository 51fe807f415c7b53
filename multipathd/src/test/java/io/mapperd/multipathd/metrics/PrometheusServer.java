package io.mapperd.multipathd.metrics;

import io.mapperd.multipathd.Peers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's prometheus) on a loopback ephemeral port, scraping one
 * target every second, with its TSDB in a test directory; stopped by its PID on close.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PrometheusServer(Path dir, String target) throws IOException {
        Path binary = Peers.require("prometheus", "/usr/bin", "/usr/local/bin");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: mapperd
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The result array of an instant query (status must be success). */
    List<Object> query(String promql) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited: " + Files.readString(log));
        }
        URI u = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> body = Json.object(Json.parse(r.body()));
        if (r.statusCode() != 200 || !"success".equals(body.get("status"))) {
            throw new IllegalArgumentException("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return Json.array(Json.object(body.get("data")).get("result"));
    }

    /** The same query, empty while Prometheus is not up yet. */
    List<Object> queryWhenUp(String promql) throws InterruptedException {
        try {
            return query(promql);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The numeric values of the result's samples. */
    static List<Double> values(List<Object> result) {
        return result.stream().map(o -> Json.array(Json.object(o).get("value")).get(1))
                .map(v -> Double.parseDouble((String) v)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
