package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled outbound connections end to end: with {@code max_connections_per_site: 2}, a hundred messages to one
 * site must travel over at most two connections (as the MX counts them), each carrying many transactions, and
 * arrive exactly once.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryConnectionReuseTest {
    private static final int MESSAGES = 100;
    private static final int MAX_CONNECTIONS = 2;

    @TempDir
    Path dir;

    @Test
    void shouldSendManyMessagesPerConnectionWithinTheSiteCap() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test"); MxSink sink = MxSink.start("127.0.0.2", port)) {
            dns.mx("pool.test", 10, "mx.pool.test").a("mx.pool.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).delivery("mx_port: " + port
                    + "\nallow_private_mx: true\nmax_connections_per_site: " + MAX_CONNECTIONS
                    + "\nmax_deliveries_per_connection: 1000").start()) {
                try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                    for (int i = 0; i < MESSAGES; i++) {
                        s.submit("p" + i + "@client.test", "user" + i + "@pool.test");
                    }
                }
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sink.messages().size() >= MESSAGES);
                Thread.sleep(300); // a duplicate would show up now
            }
            assertThat(sink.countsByMessageId()).hasSize(MESSAGES)
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            Map<String, Long> perConnection = sink.messages().stream()
                    .collect(Collectors.groupingBy(MxSink.Received::connection, Collectors.counting()));
            assertThat(sink.sessions()).as("connections the MX let in").isBetween(1, MAX_CONNECTIONS);
            assertThat(perConnection).as("messages per connection").hasSizeBetween(1, MAX_CONNECTIONS);
            assertThat(perConnection.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(MESSAGES);
            assertThat(perConnection.values().stream().mapToLong(Long::longValue).max().orElseThrow())
                    .as("the busiest connection carried at least its share").isGreaterThanOrEqualTo(
                            MESSAGES / MAX_CONNECTIONS);
        }
    }
}
