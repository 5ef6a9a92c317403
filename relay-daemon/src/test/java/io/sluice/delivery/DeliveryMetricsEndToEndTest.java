package io.sluice.delivery;

import static io.sluice.metrics.PrometheusText.deliveries;
import static io.sluice.metrics.PrometheusText.scrape;
import static io.sluice.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.metrics.DeliveryMetrics;
import io.sluice.metrics.PrometheusText;
import io.sluice.testing.MxSink;
import io.sluice.testing.FreePorts;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery metrics of the whole daemon, scraped from {@code /metrics} over HTTP: mail submitted over SMTP is
 * resolved through a {@link TestDnsServer} (dest.test: MX 10 at 127.0.0.2) and delivered to a SubEthaSMTP sink
 * ({@link MxSink}, which answers {@code 550 5.1.1} to {@code hard@}); the scrape then shows the outcomes by
 * site, one attempt-latency observation per task, one end-to-end observation per delivered recipient, the DNS
 * lookups, the open outbound connection and empty queues.
 */
class DeliveryMetricsEndToEndTest {
    private static final int MESSAGES = 5;
    private static final int RECIPIENTS = 12;
    private static final int DELIVERED = MESSAGES * RECIPIENTS;
    private static final String SITE = "mx1.dest.test";

    @TempDir
    Path dir;

    @Test
    void shouldExposeOutcomesBySiteLatenciesDnsAndConnectionsAfterDelivery() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.startFailingHardAndSoft("127.0.0.2", mxPort);
             TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                     // no DSN: its delivery to the sender's (unresolved) domain would be a second bounce
                     .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ndsn: false").start()) {
            dns.mx("dest.test", 10, SITE).a(SITE, "127.0.0.2");
            try (SmtpClient c = daemon.connect()) {
                assertThat(c.reply()).startsWith("220");
                assertThat(c.command("EHLO client.test")).startsWith("250");
                for (int m = 0; m < MESSAGES; m++) {
                    submit(c, m, RECIPIENTS, "user");
                }
                // The site earns its label on its PROMOTE_AFTER-th decision; bounce only after that, so the
                // bounce is certain to land on the site's own series.
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> deliveries(scrape(daemon.adminPort()), "delivered"), n -> n == DELIVERED);
                submit(c, MESSAGES, 1, "hard");
            }
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> deliveries(scrape(daemon.adminPort()), "bounced"), n -> n == 1);

            Map<String, PrometheusText.Family> f = scrape(daemon.adminPort());
            long beforeLabel = DeliveryMetrics.PROMOTE_AFTER - 1;
            assertThat(outcome(f, "delivered", SITE)).isEqualTo(DELIVERED - beforeLabel);
            assertThat(outcome(f, "delivered", "other")).as("decisions before the site was labelled")
                    .isEqualTo(beforeLabel);
            assertThat(outcome(f, "bounced", SITE)).isEqualTo(1);
            assertThat(outcome(f, "deferred", SITE)).isZero();
            assertThat(outcome(f, "expired", SITE)).isZero();

            assertThat(sample(f, "sluice_delivery_attempt_seconds", "sluice_delivery_attempt_seconds_count"))
                    .as("one observation per task: a task per message").isEqualTo(MESSAGES + 1);
            assertThat(sample(f, "sluice_delivery_end_to_end_seconds", "sluice_delivery_end_to_end_seconds_count"))
                    .as("one observation per delivered recipient").isEqualTo(DELIVERED);
            assertThat(sample(f, "sluice_delivery_end_to_end_seconds", "sluice_delivery_end_to_end_seconds_sum"))
                    .isPositive();

            assertThat(sample(f, "sluice_dns_lookups_total", "sluice_dns_lookups_total")).isGreaterThanOrEqualTo(1);
            assertThat(PrometheusText.value(f, "sluice_journal_disk_bytes", "sluice_journal_disk_bytes",
                    Map.of("queue", "bodies"))).as("the journal's bodies/ cycle file").isPositive();
            assertThat(f.get("sluice_dns_lookup_failures_total").samples()).hasSize(6)
                    .allSatisfy(s -> assertThat(s.value()).as(s.labels().toString()).isZero());

            // Idle connections stay pooled (delivery.idle_timeout 30s): at least one is open, never more than the
            // sessions the sink saw.
            assertThat(sample(f, "sluice_outbound_connections_current", "sluice_outbound_connections_current"))
                    .isBetween(1.0, (double) sink.sessions());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, PrometheusText.Family> g = scrape(daemon.adminPort());
                for (String gauge : new String[] {"sluice_queue_scheduled_recipients", "sluice_queue_ready_recipients",
                        "sluice_queue_in_flight_recipients", "sluice_dead_sites"}) {
                    assertThat(sample(g, gauge, gauge)).as(gauge).isZero();
                }
            });
            assertThat(sink.messages()).hasSize(MESSAGES);
        }
    }

    private static double outcome(Map<String, PrometheusText.Family> f, String outcome, String site) {
        return value(f, "sluice_deliveries_total", "sluice_deliveries_total", Map.of("outcome", outcome, "site", site));
    }

    private static double sample(Map<String, PrometheusText.Family> f, String family, String name) {
        return value(f, family, name, Map.of());
    }

    /** One message from sender@client.test to {@code count} recipients {@code <prefix><m>_<i>@dest.test}. */
    private static void submit(SmtpClient c, int m, int count, String prefix) throws Exception {
        StringBuilder commands = new StringBuilder("MAIL FROM:<sender@client.test>\r\n");
        for (int i = 0; i < count; i++) {
            commands.append("RCPT TO:<").append(prefix).append(m).append('_').append(i).append("@dest.test>\r\n");
        }
        c.send(commands.append("DATA\r\n").toString());
        assertThat(c.replies(count + 2)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send(("Subject: metrics " + m + "\r\n\r\nbody " + m + "\r\n.\r\n").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
    }
}
