package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.journal.JournalDump;
import io.sluice.testing.AdminHttp;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failed delivery carries its bounce reason, end to end: the whole daemon on loopback delivers to a sink
 * that refuses three recipients at RCPT in three ways; the bounce and deferral events name the reason the bounce
 * rules give each reply (and, for the bounces, whether it is hard), and so do the journal's OUTCOME and DEFERRED
 * records (read with the journal dump).
 */
class BounceReasonEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldRecordTheReasonOfEveryFailureInTheEventsAndTheJournal() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)
                     .rejectRecipients("gone", 550, "5.1.1 <gone@dest.test>: Recipient address rejected: User "
                             + "unknown in local recipient table")
                     .rejectRecipients("listed", 554, "5.7.1 Service unavailable; Client host [127.0.0.1] blocked "
                             + "using zen.spamhaus.org")
                     .rejectRecipients("full", 452, "4.2.2 The email account that you tried to reach is over quota")) {
            dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2");
            Path journalDir;
            Path eventLog;
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ndsn: false\ntls: none").start()) {
                journalDir = daemon.journalDir();
                eventLog = daemon.eventLog();
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    c.send("MAIL FROM:<sender@client.test>\r\nRCPT TO:<gone@dest.test>\r\nRCPT TO:<listed@dest.test>"
                            + "\r\nRCPT TO:<full@dest.test>\r\nRCPT TO:<ok@dest.test>\r\nDATA\r\n");
                    assertThat(c.replies(6)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send("Subject: reasons\r\n\r\nhello\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                }
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> dump(journalDir).contains("\"retries\""));
                int admin = daemon.adminPort();
                await().atMost(Duration.ofSeconds(5)).until(() -> AdminHttp.metric(admin,
                        "sluice_hard_bounces_by_sender_domain_total{sender_domain=\"client.test\"}") == 1.0);
                assertThat(AdminHttp.metric(admin, "sluice_failures_by_reason_total{outcome=\"bounced\","
                        + "provider=\"none\",reason=\"blocked\"}")).isEqualTo(1.0);
                assertThat(AdminHttp.metric(admin, "sluice_failures_by_reason_total{outcome=\"deferred\","
                        + "provider=\"none\",reason=\"mailboxfull\"}")).isEqualTo(1.0);
            }
            String dumped = dump(journalDir);
            assertThat(dumped).contains("\"recipientStates\":[\"bounced\",\"bounced\",\"deferred\",\"delivered\"]")
                    .contains("\"reasons\":[\"userunknown\",\"blocked\",null,\"delivered\"]")
                    .contains("\"reason\":\"mailboxfull\"");

            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(eventLog, StandardCharsets.UTF_8)) {
                events.add(JSON.readTree(line));
            }
            JsonNode gone = only(events, "bounced", "gone@dest.test");
            assertThat(gone.get("reason").asText()).isEqualTo("userunknown");
            assertThat(gone.get("hard").asBoolean()).isTrue();
            JsonNode listed = only(events, "bounced", "listed@dest.test");
            assertThat(listed.get("reason").asText()).isEqualTo("blocked");
            assertThat(listed.get("hard").asBoolean()).as("a block says nothing about the address").isFalse();
            JsonNode full = only(events, "deferred", "full@dest.test");
            assertThat(full.get("reason").asText()).isEqualTo("mailboxfull");
            assertThat(full.has("hard")).isFalse();
            assertThat(only(events, "delivered", "ok@dest.test").has("reason")).isFalse();
        }
    }

    private static JsonNode only(List<JsonNode> events, String type, String recipient) {
        List<JsonNode> found = events.stream().filter(e -> e.get("type").asText().equals(type)
                && recipient.equals(e.path("recipient").asText())).toList();
        assertThat(found).as(type + " events of " + recipient).hasSize(1);
        return found.get(0);
    }

    private static String dump(Path journalDir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JournalDump.dump(journalDir, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
