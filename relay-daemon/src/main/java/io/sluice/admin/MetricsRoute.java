package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format (version 0.0.4), for Prometheus to scrape.
 *
 * <p>Runs on the admin worker, never on an event loop: a scrape runs every collector, including JVM thread and
 * memory-pool collectors and the daemon's callback gauges, which can take milliseconds. The whole scrape is
 * rendered into memory (typically tens of KB) and sent with a Content-Length.
 */
public final class MetricsRoute {
    public static final String PATH = "/metrics";
    private static final int INITIAL_BUFFER_BYTES = 32 * 1024;

    private MetricsRoute() {
    }

    public static Route route(PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        return new Route(HttpMethod.GET, PATH, Route.Access.PUBLIC, Route.Execution.WORKER, request -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
            writer.write(out, registry.scrape());
            return new AdminResponse(HttpResponseStatus.OK, PrometheusTextFormatWriter.CONTENT_TYPE,
                    out.toByteArray(), Map.of());
        });
    }
}
