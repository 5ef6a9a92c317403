package io.sluice.metrics;

import static io.sluice.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTest {
    private static final int N = 5;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final BucketHistogram attempts = new BucketHistogram("attempt_seconds", "h", null,
            SluiceMetrics.ATTEMPT_BUCKETS);
    private final BucketHistogram endToEnd = new BucketHistogram("end_to_end_seconds", "h", null,
            SluiceMetrics.END_TO_END_BUCKETS);
    private final Counter deliveries = Counter.builder().name(SluiceMetrics.DELIVERIES).help("h")
            .labelNames("outcome", "site").withoutExemplars().register(registry);
    private final Counter bySource = Counter.builder().name(SluiceMetrics.DELIVERIES_BY_SOURCE).help("h")
            .labelNames("outcome", "source").withoutExemplars().register(registry);
    private final Counter byRoute = Counter.builder().name(SluiceMetrics.DELIVERIES_BY_ROUTE).help("h")
            .labelNames("outcome", "route", "pool").withoutExemplars().register(registry);
    private final Counter byTls = Counter.builder().name(SluiceMetrics.DELIVERIES_TLS).help("h")
            .labelNames("tls").withoutExemplars().register(registry);

    private DeliveryMetrics metrics(int maxSites, long promoteAfter) {
        registry.register(attempts);
        registry.register(endToEnd);
        return new DeliveryMetrics(deliveries, bySource, byRoute, byTls, attempts.labelValues(), endToEnd.labelValues(), maxSites,
                10 * Math.max(1, maxSites), promoteAfter);
    }

    private Map<String, PrometheusText.Family> scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static Set<String> siteLabels(Map<String, PrometheusText.Family> f) {
        Set<String> sites = new TreeSet<>();
        f.get(SluiceMetrics.DELIVERIES).samples().forEach(s -> sites.add(s.labels().get("site")));
        return sites;
    }

    private static double total(Map<String, PrometheusText.Family> f, String outcome) {
        return f.get(SluiceMetrics.DELIVERIES).samples().stream()
                .filter(s -> s.labels().get("outcome").equals(outcome)).mapToDouble(PrometheusText.Sample::value)
                .sum();
    }

    private static double count(Map<String, PrometheusText.Family> f, String outcome, String site) {
        return value(f, SluiceMetrics.DELIVERIES, SluiceMetrics.DELIVERIES, Map.of("outcome", outcome, "site", site));
    }

    @Test
    void shouldNeverExposeMoreThanNPlusOneSitesUnderTenThousandDistinctSites() throws IOException {
        DeliveryMetrics metrics = metrics(N, 20);
        for (int i = 0; i < 10_000; i++) {
            metrics.outcome(DeliveryOutcome.DELIVERED, "mx" + i + ".example");
            if (i % 10 == 0) { // three heavy sites, each 1 in 30 events, among the long tail
                metrics.outcome(DeliveryOutcome.DEFERRED, "heavy" + (i / 10 % 3) + ".example");
            }
        }

        Map<String, PrometheusText.Family> f = scrape();
        Set<String> sites = siteLabels(f);
        assertThat(sites).hasSizeLessThanOrEqualTo(N + 1)
                .contains("other", "heavy0.example", "heavy1.example", "heavy2.example");
        assertThat(metrics.labelledSites()).isEqualTo(3);
        assertThat(total(f, "delivered")).as("every event counted once").isEqualTo(10_000);
        assertThat(total(f, "deferred")).isEqualTo(1_000);
        assertThat(count(f, "delivered", "other")).as("the long tail").isEqualTo(10_000);
        // Each heavy site's first 19 events, before its promotion, stay in other.
        assertThat(count(f, "deferred", "heavy0.example")).isEqualTo(334 - 19);
        assertThat(count(f, "deferred", "other")).isEqualTo(3 * 19);
    }

    @Test
    void shouldStopGivingLabelsAtNAndKeepThemForGood() throws IOException {
        DeliveryMetrics metrics = metrics(N, 2);
        for (int round = 0; round < 3; round++) {
            for (int site = 0; site < 2 * N; site++) {
                metrics.outcome(DeliveryOutcome.BOUNCED, "s" + site);
            }
        }
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(metrics.labelledSites()).isEqualTo(N);
        assertThat(siteLabels(f)).containsExactlyInAnyOrder("other", "s0", "s1", "s2", "s3", "s4");
        assertThat(count(f, "bounced", "s0")).isEqualTo(2);
        assertThat(count(f, "bounced", "other")).isEqualTo(3 * 2 * N - N * 2);
        assertThat(count(f, "expired", "s4")).as("every outcome of a labelled site, from zero").isZero();
    }

    @Test
    void shouldCountBySourceWithNoneWhenNoConnectionWasMade() throws IOException {
        DeliveryMetrics metrics = metrics(N, 1);
        metrics.outcome(DeliveryOutcome.DELIVERED, "mx.a.test", "default");
        metrics.outcome(DeliveryOutcome.DELIVERED, "mx.b.test", "default");
        metrics.outcome(DeliveryOutcome.BOUNCED, null, null);
        Map<String, PrometheusText.Family> f = scrape();
        String family = SluiceMetrics.DELIVERIES_BY_SOURCE;
        assertThat(PrometheusText.value(f, family, family, Map.of("outcome", "delivered", "source", "default")))
                .isEqualTo(2);
        assertThat(PrometheusText.value(f, family, family, Map.of("outcome", "bounced", "source", "none")))
                .isEqualTo(1);
    }

    @Test
    void shouldCapSourceLabelsAndCountTheRestAsOther() throws IOException {
        DeliveryMetrics metrics = metrics(N, 1);
        for (int i = 0; i < DeliveryMetrics.MAX_SOURCE_LABELS + 10; i++) {
            metrics.outcome(DeliveryOutcome.DEFERRED, null, "192.0.2." + i);
        }
        PrometheusText.Family f = scrape().get(SluiceMetrics.DELIVERIES_BY_SOURCE);
        assertThat(f.samples().stream().map(sample -> sample.labels().get("source")).distinct().count())
                .isEqualTo(DeliveryMetrics.MAX_SOURCE_LABELS + 1);
        assertThat(PrometheusText.value(scrape(), SluiceMetrics.DELIVERIES_BY_SOURCE,
                SluiceMetrics.DELIVERIES_BY_SOURCE, Map.of("outcome", "deferred", "source", "other"))).isEqualTo(10);
    }

    @Test
    void shouldCountEventsWithoutASiteAsOther() throws IOException {
        DeliveryMetrics metrics = metrics(N, 1);
        metrics.outcome(DeliveryOutcome.BOUNCED, null);
        metrics.outcome(DeliveryOutcome.EXPIRED, "other");
        assertThat(count(scrape(), "bounced", "other")).isEqualTo(1);
        assertThat(count(scrape(), "expired", "other")).isEqualTo(1);
        assertThat(metrics.labelledSites()).isZero();
    }

    @Test
    void shouldObserveAttemptAndEndToEndLatencyInSeconds() throws IOException {
        DeliveryMetrics metrics = metrics(N, 1);
        metrics.attemptNanos(30_000_000L);
        metrics.attemptNanos(2_000_000_000L);
        metrics.endToEndMillis(1_500);

        Map<String, PrometheusText.Family> f = scrape();
        assertThat(value(f, "attempt_seconds", "attempt_seconds_count", Map.of())).isEqualTo(2);
        assertThat(value(f, "attempt_seconds", "attempt_seconds_sum", Map.of())).isEqualTo(2.03);
        assertThat(value(f, "attempt_seconds", "attempt_seconds_bucket", Map.of("le", "0.05"))).isEqualTo(1);
        assertThat(value(f, "end_to_end_seconds", "end_to_end_seconds_bucket", Map.of("le", "1.0"))).isZero();
        assertThat(value(f, "end_to_end_seconds", "end_to_end_seconds_bucket", Map.of("le", "2.5"))).isEqualTo(1);
    }
}
