package io.sluice.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SluiceMetricsTest {

    private static Map<String, PrometheusText.Family> scrape(SluiceMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> listener(String name) {
        return Map.of("listener", name);
    }

    @Test
    void shouldCountConnectionsPerListener() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        ListenerMetrics smtp = metrics.forListener("smtp");
        ListenerMetrics submission = metrics.forListener("submission");

        smtp.connectionOpened();
        smtp.connectionOpened();
        smtp.connectionOpened();
        smtp.connectionClosed();
        submission.connectionOpened();
        smtp.connectionRejected(ConnectionRejectReason.TOO_MANY_PER_IP);

        Map<String, PrometheusText.Family> f = scrape(metrics);
        assertThat(f.get(SluiceMetrics.CONNECTIONS_CURRENT).type()).isEqualTo("gauge");
        assertThat(value(f, "sluice_connections_current", "sluice_connections_current", listener("smtp"))).isEqualTo(2);
        assertThat(value(f, "sluice_connections_total", "sluice_connections_total", listener("smtp"))).isEqualTo(3);
        assertThat(value(f, "sluice_connections_total", "sluice_connections_total", listener("submission")))
                .isEqualTo(1);
        assertThat(value(f, "sluice_connections_rejected_total", "sluice_connections_rejected_total",
                Map.of("listener", "smtp", "reason", "too_many_per_ip"))).isEqualTo(1);
        assertThat(value(f, "sluice_connections_rejected_total", "sluice_connections_rejected_total",
                Map.of("listener", "smtp", "reason", "shutting_down"))).isZero();
    }

    @Test
    void shouldCountReceivedMessagesRecipientsAndBytes() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        ListenerMetrics smtp = metrics.forListener("smtp");

        smtp.messageReceived(3, 1_000);
        smtp.messageReceived(1, 24_000);

        Map<String, PrometheusText.Family> f = scrape(metrics);
        assertThat(value(f, "sluice_messages_received_total", "sluice_messages_received_total", listener("smtp")))
                .isEqualTo(2);
        assertThat(value(f, "sluice_recipients_received_total", "sluice_recipients_received_total",
                listener("smtp"))).isEqualTo(4);
        assertThat(value(f, "sluice_messages_received_bytes_total", "sluice_messages_received_bytes_total",
                listener("smtp"))).isEqualTo(25_000);
    }

    @Test
    void shouldExposeEveryRejectReasonAtZeroBeforeTheFirstRejection() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        metrics.forListener("smtp").smtpRejected(RejectReason.BARE_LF);
        metrics.forListener("smtp").smtpRejected(RejectReason.BARE_LF);

        PrometheusText.Family rejections = scrape(metrics).get(SluiceMetrics.SMTP_REJECTIONS);
        assertThat(rejections.type()).isEqualTo("counter");
        assertThat(rejections.samples()).hasSize(RejectReason.values().length);
        for (RejectReason r : RejectReason.values()) {
            double expected = r == RejectReason.BARE_LF ? 2 : 0;
            assertThat(value(Map.of(rejections.name(), rejections), rejections.name(), rejections.name(),
                    Map.of("listener", "smtp", "reason", r.label()))).as(r.label()).isEqualTo(expected);
        }
    }

    @Test
    void shouldUseStableLowerCaseLabelsForReasons() {
        assertThat(RejectReason.RELAY_DENIED.label()).isEqualTo("relay_denied");
        assertThat(RejectReason.BACK_PRESSURE_DISK.label()).isEqualTo("back_pressure_disk");
        assertThat(ConnectionRejectReason.TOO_MANY_PER_IP.label()).isEqualTo("too_many_per_ip");
        assertThat(Arrays.stream(RejectReason.values()).map(RejectReason::label))
                .allMatch(l -> l.matches("[a-z_]+")).doesNotHaveDuplicates();
    }

    @Test
    void shouldReturnTheSameHandlesForTheSameListener() {
        SluiceMetrics metrics = new SluiceMetrics(false);
        assertThat(metrics.forListener("smtp")).isSameAs(metrics.forListener("smtp"));
        assertThat(metrics.forListener("smtp").listener()).isEqualTo("smtp");
    }

    @Test
    void shouldRecordHistogramsInSecondsWithDeclaredBuckets() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        metrics.forListener("smtp").submissionNanos(3_000_000);     // 3 ms
        metrics.journal().appendNanos(40_000);                       // 40 µs: below the first bucket
        metrics.journal().syncNanos(200_000);                        // 200 µs
        metrics.journal().syncNanos(2_000_000_000L);                 // 2 s: only in +Inf
        metrics.journal().batchSize(100);

        Map<String, PrometheusText.Family> f = scrape(metrics);
        String sub = SluiceMetrics.SUBMISSION_SECONDS;
        assertThat(f.get(sub).type()).isEqualTo("histogram");
        assertThat(value(f, sub, sub + "_bucket", Map.of("listener", "smtp", "le", "0.0025"))).isZero();
        assertThat(value(f, sub, sub + "_bucket", Map.of("listener", "smtp", "le", "0.005"))).isEqualTo(1);
        assertThat(value(f, sub, sub + "_sum", listener("smtp"))).isCloseTo(0.003, within(1e-9));

        String append = SluiceMetrics.JOURNAL_APPEND_SECONDS;
        assertThat(value(f, append, append + "_bucket", Map.of("le", "5.0E-5"))).isEqualTo(1);
        String sync = SluiceMetrics.JOURNAL_SYNC_SECONDS;
        assertThat(value(f, sync, sync + "_bucket", Map.of("le", "1.0"))).isEqualTo(1);
        assertThat(value(f, sync, sync + "_bucket", Map.of("le", "+Inf"))).isEqualTo(2);
        assertThat(value(f, sync, sync + "_count", Map.of())).isEqualTo(2);
        String batch = SluiceMetrics.JOURNAL_BATCH_SIZE;
        assertThat(value(f, batch, batch + "_bucket", Map.of("le", "64.0"))).isZero();
        assertThat(value(f, batch, batch + "_bucket", Map.of("le", "128.0"))).isEqualTo(1);
        assertThat(f.get(sync).samples().stream().filter(s -> s.name().endsWith("_bucket")).count())
                .isEqualTo(SluiceMetrics.JOURNAL_LATENCY_BUCKETS.length + 1);
    }

    @Test
    void shouldReadCallbackGaugesAtScrapeAndOmitThemUntilBound() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        assertThat(scrape(metrics)).doesNotContainKey(SluiceMetrics.QUEUE_PENDING_MESSAGES);

        AtomicLong pending = new AtomicLong(7);
        metrics.bindQueuePendingMessages(pending::get);
        metrics.bindQueuePendingRecipients(() -> 11);
        metrics.bindJournalFreeBytes(() -> 5_000_000_000L);
        Map<String, PrometheusText.Family> f = scrape(metrics);
        assertThat(value(f, SluiceMetrics.QUEUE_PENDING_MESSAGES, SluiceMetrics.QUEUE_PENDING_MESSAGES, Map.of()))
                .isEqualTo(7);
        assertThat(value(f, SluiceMetrics.QUEUE_PENDING_RECIPIENTS, SluiceMetrics.QUEUE_PENDING_RECIPIENTS,
                Map.of())).isEqualTo(11);
        assertThat(value(f, SluiceMetrics.JOURNAL_FREE_BYTES, SluiceMetrics.JOURNAL_FREE_BYTES, Map.of()))
                .isEqualTo(5e9);

        pending.set(8);
        assertThat(value(scrape(metrics), SluiceMetrics.QUEUE_PENDING_MESSAGES,
                SluiceMetrics.QUEUE_PENDING_MESSAGES, Map.of())).isEqualTo(8);
    }

    @Test
    void shouldSkipAndCountACallbackThatThrowsWithoutFailingTheScrape() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        metrics.bindJournalFreeBytes(() -> {
            throw new IllegalStateException("statfs failed");
        });
        metrics.bindQueuePendingMessages(() -> 3);

        Map<String, PrometheusText.Family> f = scrape(metrics);
        assertThat(f).doesNotContainKey(SluiceMetrics.JOURNAL_FREE_BYTES);
        assertThat(value(f, SluiceMetrics.QUEUE_PENDING_MESSAGES, SluiceMetrics.QUEUE_PENDING_MESSAGES, Map.of()))
                .isEqualTo(3);
        // Collection order is not fixed: the first failure is counted by the next scrape at the latest.
        Map<String, PrometheusText.Family> next = scrape(metrics);
        assertThat(value(next, SluiceMetrics.CALLBACK_FAILURES, SluiceMetrics.CALLBACK_FAILURES,
                Map.of("metric", SluiceMetrics.JOURNAL_FREE_BYTES))).isBetween(1.0, 2.0);
    }

    @Test
    void shouldIncludeJvmMetricsWhenAsked() throws IOException {
        assertThat(scrape(new SluiceMetrics(true)).keySet())
                .contains("jvm_memory_used_bytes", "jvm_threads_current", "process_cpu_seconds_total");
        assertThat(scrape(new SluiceMetrics(false)).keySet()).noneMatch(n -> n.startsWith("jvm_"));
    }

    @Test
    void shouldKeepIndependentRegistriesPerInstance() throws IOException {
        SluiceMetrics a = new SluiceMetrics(false);
        SluiceMetrics b = new SluiceMetrics(false);
        a.forListener("smtp").messageReceived(1, 10);
        b.forListener("smtp");

        assertThat(value(scrape(b), SluiceMetrics.MESSAGES_RECEIVED, SluiceMetrics.MESSAGES_RECEIVED,
                listener("smtp"))).isZero();
    }

    @Test
    void shouldPrefixEverySluiceMetricName() throws IOException {
        SluiceMetrics metrics = new SluiceMetrics(false);
        metrics.forListener("smtp");
        metrics.bindQueuePendingMessages(() -> 0);
        assertThat(scrape(metrics).keySet()).allMatch(n -> n.startsWith("sluice_"));
    }

    @Test
    void shouldRecordOnTheHotPathWithoutAllocating() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        SluiceMetrics metrics = new SluiceMetrics(false);
        ListenerMetrics smtp = metrics.forListener("smtp");
        JournalMetrics journal = metrics.journal();
        record(smtp, journal, 20_000);

        long before = threads.getThreadAllocatedBytes(thread);
        record(smtp, journal, 10_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // A few hundred bytes of slack for the measurement itself; one allocation per call would be >= 160 KB.
        assertThat(allocated).isLessThan(1_024);
    }

    private static void record(ListenerMetrics smtp, JournalMetrics journal, int times) {
        for (int i = 0; i < times; i++) {
            smtp.connectionOpened();
            smtp.messageReceived(2, 1_500);
            smtp.smtpRejected(RejectReason.RELAY_DENIED);
            smtp.submissionNanos(1_000_000 + i);
            journal.appendNanos(50_000 + i);
            journal.syncNanos(200_000 + i);
            journal.batchSize(i & 63);
            smtp.connectionClosed();
        }
    }
}
