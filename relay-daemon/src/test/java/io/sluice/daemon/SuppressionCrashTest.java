package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.journal.JournalDump;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hard bounce suppresses the address, and that survives SIGKILL: the daemon (its own JVM) delivers to a sink that
 * answers {@code 550 5.1.1} for one recipient; the bounce is hard, so the address goes on the suppression list; the
 * next message to it is accepted and recorded {@code suppressed} (an OUTCOME and an event) without any attempt;
 * killed with SIGKILL and restarted on the same journal, a third message to it is suppressed too. The sink sees the
 * address exactly once, while mail to other recipients still flows.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SuppressionCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldSuppressAHardBouncedAddressAlsoAfterSigkill() throws Exception {
        int mxPort = FreePorts.next();
        Path journal = dir.resolve("journal");
        Path events = dir.resolve("events").resolve("events.jsonl");
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)
                     .rejectRecipients("gone", 550, "5.1.1 <gone@dest.test>: Recipient address rejected: User "
                             + "unknown in local recipient table")) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.2");
            Path config = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none\ndsn: false")
                    .queue("restart_spread: 1s").writeConfig();
            int smtpPort = Integer.parseInt(Files.readAllLines(config).stream()
                    .filter(l -> l.trim().startsWith("port:")).findFirst().orElseThrow().trim().substring(5).trim());

            try (DaemonProcess daemon = DaemonProcess.start(config)) {
                try (Submitter s = new Submitter("127.0.0.1", smtpPort)) {
                    s.submit("first@client.test", "gone@dest.test");
                    await().atMost(Duration.ofSeconds(20)).until(() -> lines(events).stream().anyMatch(l ->
                            l.contains("\"type\":\"bounced\"") && l.contains("gone@dest.test")
                                    && l.contains("\"reason\":\"userunknown\"") && l.contains("\"hard\":true")));
                    // the entry is durable shortly after the bounce: then the next message never reaches the sink
                    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(journal.resolve("suppression.log"))
                            && new String(Files.readAllBytes(journal.resolve("suppression.log")),
                            StandardCharsets.UTF_8).contains("gone@dest.test"));
                    s.submit("second@client.test", "gone@dest.test");
                    s.submit("third@client.test", "fine@dest.test");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.messages().size() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> count(lines(events), "suppressed") == 1);
                daemon.kill();
            }
            assertThat(sink.rcptAttempts("gone@dest.test")).isEqualTo(1);

            try (DaemonProcess restarted = DaemonProcess.start(config)) {
                assertThat(restarted.output()).anyMatch(l -> l.contains("suppression list: 1 entries"));
                try (Submitter s = new Submitter("127.0.0.1", smtpPort)) {
                    s.submit("fourth@client.test", "GONE@dest.test");
                    s.submit("fifth@client.test", "fine2@dest.test");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.messages().size() == 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> count(lines(events), "suppressed") == 2);
                assertThat(restarted.terminate()).isZero();
            }
            assertThat(sink.rcptAttempts("gone@dest.test")).as("never again after the bounce").isEqualTo(1);
            assertThat(sink.rcptAttempts("GONE@dest.test")).isZero();
            String dump = dump(journal);
            assertThat(dump.lines().filter(l -> l.contains("\"recipientStates\":[\"suppressed\"]")
                    && l.contains("\"reasons\":[\"userunknown\"]"))).as(dump).hasSize(2);
        }
    }

    private static List<String> lines(Path events) throws Exception {
        return Files.exists(events) ? Files.readAllLines(events, StandardCharsets.UTF_8) : List.of();
    }

    private static long count(List<String> lines, String type) {
        return lines.stream().filter(l -> l.contains("\"type\":\"" + type + "\"")).count();
    }

    private static String dump(Path journalDir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JournalDump.dump(journalDir, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
