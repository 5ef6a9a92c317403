package io.sluice.metrics;

import static io.sluice.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery side's callback series in {@link SluiceMetrics}: absent until bound, then read at each scrape. */
class DeliverySeriesTest {
    private final SluiceMetrics metrics = new SluiceMetrics(false);

    private Map<String, PrometheusText.Family> scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static double single(Map<String, PrometheusText.Family> f, String name) {
        return value(f, name, name, Map.of());
    }

    @Test
    void shouldLeaveUnboundSeriesOutOfTheScrape() throws IOException {
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(f).doesNotContainKeys(SluiceMetrics.QUEUE_SCHEDULED_RECIPIENTS,
                SluiceMetrics.QUEUE_READY_RECIPIENTS, SluiceMetrics.QUEUE_IN_FLIGHT_RECIPIENTS, SluiceMetrics.DEAD_SITES,
                SluiceMetrics.OUTBOUND_CONNECTIONS_CURRENT, SluiceMetrics.DNS_LOOKUPS,
                SluiceMetrics.DNS_LOOKUP_FAILURES);
    }

    @Test
    void shouldReadQueueConnectionAndDnsSourcesAtEachScrape() throws IOException {
        long[] ready = {7};
        metrics.bindQueueScheduledRecipients(() -> 3);
        metrics.bindQueueReadyRecipients(() -> ready[0]);
        metrics.bindQueueInFlightRecipients(() -> 2);
        metrics.bindDeadSites(() -> 1);
        metrics.bindOutboundConnections(() -> 4);
        metrics.bindDnsLookups(() -> 11);
        metrics.bindDnsFailures(kind -> kind == DnsFailure.NULL_MX ? 2 : 0);

        Map<String, PrometheusText.Family> f = scrape();
        assertThat(single(f, SluiceMetrics.QUEUE_SCHEDULED_RECIPIENTS)).isEqualTo(3);
        assertThat(single(f, SluiceMetrics.QUEUE_READY_RECIPIENTS)).isEqualTo(7);
        assertThat(single(f, SluiceMetrics.QUEUE_IN_FLIGHT_RECIPIENTS)).isEqualTo(2);
        assertThat(single(f, SluiceMetrics.DEAD_SITES)).isEqualTo(1);
        assertThat(single(f, SluiceMetrics.OUTBOUND_CONNECTIONS_CURRENT)).isEqualTo(4);
        assertThat(f.get(SluiceMetrics.DNS_LOOKUPS).type()).isEqualTo("counter");
        assertThat(single(f, SluiceMetrics.DNS_LOOKUPS)).isEqualTo(11);
        PrometheusText.Family failures = f.get(SluiceMetrics.DNS_LOOKUP_FAILURES);
        assertThat(failures.type()).isEqualTo("counter");
        assertThat(failures.samples()).hasSize(DnsFailure.values().length);
        assertThat(value(f, SluiceMetrics.DNS_LOOKUP_FAILURES, SluiceMetrics.DNS_LOOKUP_FAILURES,
                Map.of("kind", "null_mx"))).isEqualTo(2);
        assertThat(value(f, SluiceMetrics.DNS_LOOKUP_FAILURES, SluiceMetrics.DNS_LOOKUP_FAILURES,
                Map.of("kind", "refused_private"))).isZero();

        ready[0] = 0;
        assertThat(single(scrape(), SluiceMetrics.QUEUE_READY_RECIPIENTS)).isZero();
    }

    @Test
    void shouldLeaveOutDnsFailuresAndCountItWhenTheirSourceThrows() throws IOException {
        metrics.bindDnsFailures(kind -> {
            throw new IllegalStateException("resolver gone");
        });
        Map<String, PrometheusText.Family> f = scrape();
        assertThat(f).as("a family without samples is not written").doesNotContainKey(SluiceMetrics.DNS_LOOKUP_FAILURES);
        // Collection order is not fixed: the first failure is counted by the next scrape at the latest.
        Map<String, PrometheusText.Family> next = scrape();
        assertThat(value(next, SluiceMetrics.CALLBACK_FAILURES, SluiceMetrics.CALLBACK_FAILURES,
                Map.of("metric", SluiceMetrics.DNS_LOOKUP_FAILURES))).isBetween(1.0, 2.0);
    }
}
