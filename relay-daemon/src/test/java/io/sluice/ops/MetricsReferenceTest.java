package io.sluice.ops;

import static io.sluice.metrics.PrometheusText.deliveries;
import static io.sluice.metrics.PrometheusText.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.metrics.PrometheusText;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/metrics.md against a real scrape: a real daemon ({@link TestDaemon}) takes mail over SMTP and delivers it
 * through a loopback {@link TestDnsServer} to an {@link MxSink}; {@code /metrics} is fetched over HTTP and parsed
 * with the strict {@link PrometheusText} parser. Every {@code sluice_*} family of the scrape is documented with
 * its type and exactly its label names, every documented metric is in the scrape, and the traffic counters equal
 * what the test sent: so the reference and the exposition cannot drift, and the counters count what happened.
 * One message to a domain whose DNS fails stays pending, so the oldest-pending age is seen rising above 0.
 */
class MetricsReferenceTest {
    private static final int MESSAGES = 7;
    private static final int RECIPIENTS = 2;
    private static final String SITE = "mx1.dest.test";
    /** A table row of docs/metrics.md: | `name` | type | labels | meaning |. */
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`(sluice_[a-z0-9_]+)`\\s*\\|\\s*([a-z]+)\\s*\\|([^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`");

    @TempDir
    Path dir;

    @Test
    void shouldExposeExactlyTheDocumentedMetricsWithCountersEqualToTheTrafficSent() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort);
             TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                     .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ndsn: false")
                     // a smarthost route the test's mail does not take: its breaker families must show
                     .topLevel("""
                             smarthosts:
                               - {name: esp, host: 127.0.0.21, port: 2525, tls: none}
                             routes:
                               - {name: relayed, match: {recipient_domains: [relay.test]}, smarthosts: [esp]}
                               - {name: default, pool: default}
                             """).start()) {
            dns.mx("dest.test", 10, SITE).a(SITE, "127.0.0.2").servfail("stuck.test");
            assertThat(value(scrape(daemon.adminPort()), "sluice_queue_oldest_pending_age_seconds", Map.of()))
                    .as("nothing pending yet").isZero();

            try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort())) {
                for (int m = 0; m < MESSAGES; m++) {
                    submitter.submit("m" + m + "@client.test", "a" + m + "@dest.test", "b" + m + "@dest.test");
                }
                submitter.submit("stuck@client.test", "x@stuck.test");
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> deliveries(scrape(daemon.adminPort()), "delivered"), n -> n == MESSAGES * RECIPIENTS);
            // The stuck message (deferred on SERVFAIL, retried in delivery.retry.first = 5m) ages.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(
                    () -> value(scrape(daemon.adminPort()), "sluice_queue_oldest_pending_age_seconds", Map.of()),
                    a -> a >= 1);

            Map<String, PrometheusText.Family> f = scrape(daemon.adminPort());
            assertDocumentedExactly(f);

            Map<String, String> listener = Map.of("listener", "default");
            assertThat(value(f, "sluice_messages_received_total", listener)).isEqualTo(MESSAGES + 1);
            assertThat(value(f, "sluice_recipients_received_total", listener))
                    .isEqualTo(MESSAGES * RECIPIENTS + 1);
            assertThat(value(f, "sluice_connections_total", listener)).isEqualTo(1);
            assertThat(value(f, "sluice_connections_current", listener)).isZero();
            assertThat(sample(f, "sluice_submission_seconds", "sluice_submission_seconds_count", listener))
                    .isEqualTo(MESSAGES + 1);
            assertThat(deliveries(f, "delivered")).isEqualTo(MESSAGES * RECIPIENTS);
            assertThat(deliveries(f, "bounced")).isZero();
            assertThat(deliveries(f, "expired")).isZero();
            assertThat(deliveries(f, "deferred")).as("the stuck recipient, once").isEqualTo(1);
            String bySource = "sluice_deliveries_by_source_total";
            assertThat(value(f, bySource, Map.of("outcome", "delivered", "source", "default")))
                    .as("the same decisions by source").isEqualTo(MESSAGES * RECIPIENTS);
            assertThat(value(f, bySource, Map.of("outcome", "deferred", "source", "none")))
                    .as("the DNS failure made no connection").isEqualTo(1);
            String byRoute = "sluice_deliveries_by_route_total";
            assertThat(value(f, byRoute, Map.of("outcome", "delivered", "route", "default", "pool", "default")))
                    .as("the same decisions by route and pool").isEqualTo(MESSAGES * RECIPIENTS);
            assertThat(value(f, byRoute, Map.of("outcome", "deferred", "route", "none", "pool", "none")))
                    .as("the DNS failure came before a placement").isEqualTo(1);
            assertThat(value(f, "sluice_smarthost_circuit_open", Map.of("smarthost", "esp")))
                    .as("a breaker nothing tried stays closed").isZero();
            assertThat(value(f, "sluice_smarthost_circuit_opened_total", Map.of("smarthost", "esp"))).isZero();
            assertThat(sample(f, "sluice_delivery_end_to_end_seconds", "sluice_delivery_end_to_end_seconds_count",
                    Map.of())).as("one per delivered recipient").isEqualTo(MESSAGES * RECIPIENTS);
            assertThat(value(f, "sluice_queue_pending_messages", Map.of())).isEqualTo(1);
            assertThat(value(f, "sluice_queue_pending_recipients", Map.of())).isEqualTo(1);
            assertThat(value(f, "sluice_dns_lookup_failures_total", Map.of("kind", "temporary"))).isEqualTo(1);
            assertThat(f).as("the client library's JVM and GC metrics")
                    .containsKeys("jvm_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_current");
            assertThat(sink.messages()).hasSize(MESSAGES);
        }
    }

    /** Every sluice_* family documented (type, label names) and every documented one present. */
    private static void assertDocumentedExactly(Map<String, PrometheusText.Family> scrape) {
        Map<String, String> docTypes = new TreeMap<>();
        Map<String, Set<String>> docLabels = new TreeMap<>();
        Matcher row = ROW.matcher(OpsFiles.read(OpsFiles.METRICS_DOC));
        while (row.find()) {
            docTypes.put(row.group(1), row.group(2));
            Set<String> labels = new TreeSet<>();
            Matcher label = LABEL.matcher(row.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
            docLabels.put(row.group(1), labels);
        }
        assertThat(docTypes).as("rows read from docs/metrics.md").hasSizeGreaterThan(25);

        Map<String, String> scrapedTypes = new TreeMap<>();
        Map<String, Set<String>> problems = new LinkedHashMap<>();
        scrape.values().stream().filter(fam -> fam.name().startsWith("sluice_")).forEach(fam -> {
            scrapedTypes.put(fam.name(), fam.type());
            if (fam.samples().isEmpty()) {
                problems.computeIfAbsent(fam.name(), k -> new TreeSet<>()).add("no samples");
            }
            for (PrometheusText.Sample s : fam.samples()) {
                Set<String> names = new TreeSet<>(s.labels().keySet());
                names.remove("le");
                if (!names.equals(docLabels.get(fam.name()))) {
                    problems.computeIfAbsent(fam.name(), k -> new TreeSet<>())
                            .add("labels " + names + ", documented " + docLabels.get(fam.name()));
                }
            }
        });
        assertThat(scrapedTypes).as("sluice_* families of /metrics (name → type) vs docs/metrics.md")
                .isEqualTo(docTypes);
        assertThat(problems).as("families whose samples differ from docs/metrics.md").isEmpty();
    }

    private static double value(Map<String, PrometheusText.Family> f, String name, Map<String, String> labels) {
        return PrometheusText.value(f, name, name, labels);
    }

    private static double sample(Map<String, PrometheusText.Family> f, String family, String name,
                                 Map<String, String> labels) {
        return PrometheusText.value(f, family, name, labels);
    }
}
