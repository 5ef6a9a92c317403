package io.sluice.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric name the alerts (conf/prometheus/alerts.yml) and the dashboard (conf/grafana/sluice.json) query
 * exists: in docs/metrics.md, among the JVM and process series the client library exports, Prometheus's own
 * {@code up}, or marked in alerts.yml as a metric still to come. So a renamed or removed metric fails the build
 * instead of silently blinding an alert or a panel.
 */
class MetricNamesTest {

    @Test
    void shouldQueryOnlyExistingMetricsInAlerts() {
        Set<String> known = knownSeries();
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Map<String, Object> rule : OpsFiles.alertRules()) {
            Set<String> names = PromQlNames.of((String) rule.get("expr"));
            assertThat(names).as("metrics of %s", rule.get("alert")).isNotEmpty();
            names.removeAll(known);
            if (!names.isEmpty()) {
                unknown.put((String) rule.get("alert"), names);
            }
        }
        assertThat(unknown).as("alerts querying metrics not in docs/metrics.md nor marked '# needs metric'")
                .isEmpty();
    }

    @Test
    void shouldQueryOnlyExistingMetricsInDashboard() {
        Set<String> known = knownSeries();
        Set<String> used = new TreeSet<>();
        for (String expr : OpsFiles.dashboardExprs(OpsFiles.dashboard())) {
            used.addAll(PromQlNames.of(expr));
        }
        assertThat(used).as("metrics the dashboard queries").hasSizeGreaterThan(20);
        assertThat(used).as("dashboard metrics not in docs/metrics.md nor marked '# needs metric' in alerts.yml")
                .isSubsetOf(known);
    }

    @Test
    void shouldDropNeedsMetricMarkerOnceTheMetricIsDocumented() {
        // Empty once every metric the alerts need exists; a new marker must name an undocumented metric.
        Set<String> proposed = OpsFiles.proposedMetrics();
        assertThat(proposed).as("now documented in docs/metrics.md: remove the '# needs metric' comment in alerts.yml")
                .doesNotContainAnyElementsOf(OpsFiles.documentedMetrics().keySet());
    }

    @Test
    void shouldReadEveryDocumentedMetricFromTheReference() {
        Map<String, String> documented = OpsFiles.documentedMetrics();
        assertThat(documented).containsEntry("sluice_deliveries_total", "counter")
                .containsEntry("sluice_journal_free_bytes", "gauge")
                .containsEntry("sluice_submission_seconds", "histogram");
        assertThat(OpsFiles.documentedSeries()).contains("sluice_journal_sync_seconds_bucket")
                .doesNotContain("sluice_journal_sync_seconds");
    }

    @Test
    void shouldFindMetricNamesAndNothingElseInPromQl() {
        assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (job, le) "
                + "(rate(sluice_journal_sync_seconds_bucket{instance=~\"$instance\"}[$__rate_interval]))) > 0.1"))
                .containsExactly("sluice_journal_sync_seconds_bucket");
        assertThat(PromQlNames.of("sum without (site) (rate(sluice_deliveries_total{outcome=\"deferred\"}[15m]))"
                + " / on (instance) group_left sum(sluice_dead_sites offset 5m) unless up == bool 0"))
                .containsExactly("sluice_dead_sites", "sluice_deliveries_total", "up");
        assertThat(PromQlNames.of("sluice_journal_free_bytes < 2 * 1024 * 1e9 and predict_linear(x_y[6h], 24 * 3600)"))
                .containsExactly("sluice_journal_free_bytes", "x_y");
    }

    @Test
    void shouldRejectAMisspelledMetric() {
        Set<String> names = PromQlNames.of("rate(sluice_delivery_total{outcome=\"bounced\"}[5m])");
        assertThat(knownSeries()).doesNotContainAnyElementsOf(names);
    }

    /** Documented Sluice series, proposed ones, the client's JVM/process series, and Prometheus's up. */
    private static Set<String> knownSeries() {
        Set<String> known = new TreeSet<>(OpsFiles.documentedSeries());
        known.addAll(OpsFiles.proposedMetrics());
        known.addAll(jvmSeries());
        known.add("up");
        return known;
    }

    /** Names the official client's JVM instrumentation exposes, read from a real scrape. */
    private static Set<String> jvmSeries() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Set<String> names = new TreeSet<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(names).contains("jvm_memory_used_bytes", "process_open_fds");
        return names;
    }
}
