package io.mapperd.multipathd.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The read-only HTTP endpoint: GET or HEAD of exactly /metrics returns the exposition in
 * Prometheus text format (simpleclient's handler, gzip when asked); anything else is 404 or 405.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService pool;

    private MetricsServer(HttpServer http, ExecutorService pool) {
        this.http = http;
        this.pool = pool;
    }

    /** @throws IOException when the address cannot be bound (in use, not local) */
    public static MetricsServer start(InetSocketAddress address, CollectorRegistry registry) throws IOException {
        HttpServer http = HttpServer.create(address, 16);
        ExecutorService pool = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("metrics-http-", 0).factory());
        HttpHandler metrics = new HTTPServer.HTTPMetricHandler(registry);
        http.createContext("/", exchange -> serve(exchange, metrics));
        http.setExecutor(pool);
        http.start();
        return new MetricsServer(http, pool);
    }

    private static void serve(HttpExchange exchange, HttpHandler metrics) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                reply(exchange, 404, "not found: only /metrics is served\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed: /metrics is read-only\n");
            } else {
                metrics.handle(exchange);
            }
        }
    }

    private static void reply(HttpExchange exchange, int code, String body) throws IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, b.length);
        exchange.getResponseBody().write(b);
    }

    /** The bound address (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
