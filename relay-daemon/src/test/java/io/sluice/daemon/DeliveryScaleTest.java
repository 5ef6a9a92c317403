package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.JournalStates;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many messages, many domains, several MX hosts, end to end: {@value #MESSAGES} messages to {@value #DOMAINS}
 * domains whose MX records point at {@value #SINKS} hosts (127.0.0.2-6; domain {@code dN.test} at host
 * {@code N % SINKS}), submitted by {@value #CLIENTS} concurrent SMTP clients. Every message must arrive exactly
 * once, at the MX host of its domain, and the journal must end with every message delivered.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryScaleTest {
    private static final int MESSAGES = 10_000;
    private static final int DOMAINS = 100;
    private static final int SINKS = 5;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverTenThousandMessagesToAHundredDomainsExactlyOnceAtTheirMx() throws Exception {
        int port = FreePorts.next();
        List<MxSink> sinks = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            for (int s = 0; s < SINKS; s++) {
                sinks.add(MxSink.start("127.0.0." + (2 + s), port));
                dns.a("mx" + s + ".scale.test", "127.0.0." + (2 + s));
            }
            for (int d = 0; d < DOMAINS; d++) {
                dns.mx("d" + d + ".test", 10, "mx" + (d % SINKS) + ".scale.test");
            }
            Path journal = dir.resolve("journal");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + port + "\nallow_private_mx: true").start()) {
                List<Future<?>> submitted = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    submitted.add(clients.submit(() -> {
                        try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                            for (int n = client; n < MESSAGES; n += CLIENTS) {
                                s.submit("s" + n + "@client.test", "user" + n + "@d" + (n % DOMAINS) + ".test");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : submitted) {
                    f.get();
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> sinks.stream().mapToInt(s -> s.messages().size()).sum() >= MESSAGES);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> JournalStates.count(journal, "delivered") == MESSAGES);
                Thread.sleep(300); // a duplicate would show up now
            }
            for (int s = 0; s < SINKS; s++) {
                Map<String, Integer> counts = sinks.get(s).countsByMessageId();
                assertThat(counts).as("messages at sink " + s).hasSize(MESSAGES / SINKS);
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    int n = Integer.parseInt(e.getKey().substring(1, e.getKey().indexOf('@')));
                    assertThat(n % DOMAINS % SINKS).as(e.getKey() + " at the MX of its domain").isEqualTo(s);
                    assertThat(e.getValue()).as("deliveries of " + e.getKey()).isEqualTo(1);
                }
                for (MxSink.Received r : sinks.get(s).messages()) {
                    int n = Integer.parseInt(r.messageId().substring(1, r.messageId().indexOf('@')));
                    assertThat(r.recipients()).containsExactly("user" + n + "@d" + (n % DOMAINS) + ".test");
                }
            }
        } finally {
            clients.shutdownNow();
            sinks.forEach(MxSink::close);
        }
    }
}
