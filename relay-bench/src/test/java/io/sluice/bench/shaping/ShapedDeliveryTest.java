package io.sluice.bench.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.sink.CaptureSink;
import io.sluice.bench.sink.SinkPolicy;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic shaping against the strict sink ({@code sluice-bench sink --policy}) on loopback, with the daemon, a real
 * DNS server and SMTP all real: the sink enforces a provider's connection cap and message rate and records the most
 * sessions it saw; Sluice, shaped to the same numbers, must never make it refuse, must stay within the cap, and
 * must keep to the configured message rate within 5% over a 20 s window. Nothing is lost.
 */
class ShapedDeliveryTest {
    private static final String MX_ADDRESS = "127.0.0.61";

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private CaptureSink sink;
    private TestDaemon daemon;

    @AfterEach
    void close() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private void start(String sinkPolicy, String shaping) throws Exception {
        start(sinkPolicy, shaping, "");
    }

    private void start(String sinkPolicy, String shaping, String delivery) throws Exception {
        Path policy = dir.resolve("sink-policy.yaml");
        Files.writeString(policy, sinkPolicy);
        sink = CaptureSink.start(InetAddress.getByName(MX_ADDRESS), 0, dir.resolve("mail"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), SinkPolicy.read(policy));
        dns = TestDnsServer.start("test");
        for (int i = 1; i <= 3; i++) { // three domains at two sites of one provider
            dns.mx("d" + i + ".test", 10, i == 3 ? "mx2.strictmail.test" : "mx1.strictmail.test");
        }
        dns.a("mx1.strictmail.test", MX_ADDRESS).a("mx2.strictmail.test", MX_ADDRESS);
        Path shapingFile = dir.resolve("shaping.yaml");
        Files.writeString(shapingFile, shaping);
        daemon = TestDaemon.in(Files.createDirectories(dir.resolve("daemon"))).dns(dns)
                .delivery("  mx_port: " + sink.port() + "\n  allow_private_mx: true\n  tls: none\n" + delivery)
                .topLevel("shaping:\n  file: " + shapingFile + "\n")
                .start();
    }

    private void submit(int count) throws Exception {
        try (SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            for (int i = 0; i < count; i++) {
                Submitter.submitTagged(c, "m" + i, "d" + (i % 3 + 1) + ".test", null);
            }
        }
    }

    @Test
    void shouldKeepToTheProvidersConnectionCapAndMessageRateSoTheSinkNeverRefuses() throws Exception {
        start("""
                connections: 3
                message_rate: 21/s
                style: gmail
                """, """
                default: {connections: 10, tls: none}
                providers:
                  - name: strictmail
                    mx_suffixes: [.strictmail.test]
                    per_source: {connections: 3, message_rate: 20/s}
                """);
        int total = 560; // 28 s of work at 20/s: the window below is inside it
        submit(total);

        Thread.sleep(4_000); // past the start, when the concurrency window is still being earned
        long before = sink.accepted();
        long startNanos = System.nanoTime();
        Thread.sleep(20_000);
        long after = sink.accepted();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = (after - before) / seconds;

        System.out.printf("shaped: %.2f deliveries/s over %.1f s, most sessions %d%n", rate, seconds,
                sink.mostConnections());
        assertThat(rate).as("deliveries/s over a 20 s window, configured 20/s").isBetween(19.0, 21.0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.accepted() == total);
        assertThat(sink.mostConnections()).as("most sessions the sink saw at once").isLessThanOrEqualTo(3);
        assertThat(sink.refusedConnections()).as("sessions the sink refused").isZero();
        assertThat(sink.rateLimited()).as("messages the sink refused for its rate").isZero();
    }

    private long events(String type, String action) throws Exception {
        Path log = daemon.eventLog();
        return !Files.exists(log) ? 0 : Files.readAllLines(log).stream()
                .filter(l -> l.contains("\"type\":\"" + type + "\"") && l.contains("\"action\":\"" + action + "\""))
                .count();
    }

    @Test
    void shouldCutTheRateWithinOneReplyOf4728AndResumeByItselfWhenTheActionEnds() throws Exception {
        start("""
                connections: 3
                message_rate: 5/s
                style: gmail
                """, """
                default: {connections: 10, tls: none}
                providers:
                  - name: strictmail
                    mx_suffixes: [.strictmail.test]
                    per_source: {connections: 2, message_rate: 50/s}
                    automation:
                      - match: '4\\.7\\.28'
                        trigger: immediate
                        action: {message_rate: 2/s, for: 3s}
                """, "  retry:\n    first: 1s\n    max: 2s\n");
        int total = 50;
        submit(total);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sink.accepted() == total);
        // The event log is written behind the decisions (a tailer): give it time to show every firing.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> sink.rateLimited() <= 2 * events("shaping", "applied"));
        long applied = events("shaping", "applied");
        long expired = events("shaping", "expired");
        System.out.printf("4.7.28: %d refused by the sink, %d actions applied, %d expired%n", sink.rateLimited(),
                applied, expired);
        assertThat(applied).as("the 421 4.7.28 fired the rule").isPositive();
        assertThat(expired).as("actions ended by themselves and traffic went on").isPositive();
        assertThat(sink.rateLimited()).as("refusals: at most the deliveries in flight (2) per firing")
                .isLessThanOrEqualTo(2 * applied);
        assertThat(sink.mostConnections()).isLessThanOrEqualTo(2);
    }
}
