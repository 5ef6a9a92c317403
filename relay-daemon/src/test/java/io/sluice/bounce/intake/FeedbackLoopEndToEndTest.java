package io.sluice.bounce.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.AdminHttp;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop end to end, the whole daemon on loopback: mail on a VERP route leaves one recipient per
 * transaction with a signed return path; a DSN sent back to that return path at the {@code role: feedback} listener
 * is an {@code async_bounce} and suppresses the address; the same DSN with a forged token is dropped and counted; an
 * ARF complaint to the feedback address, matched by the original's Message-ID, is a {@code complaint} and a
 * sender-domain suppression; mail for any other domain is refused {@code 550 5.7.1}; and a bounce in the delivery
 * session on the VERP route sends the sender no DSN.
 */
class FeedbackLoopEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldMatchBouncesAndComplaintsToWhatWasSentAndSuppress() throws Exception {
        int mxPort = FreePorts.next();
        int feedbackPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)
                     .rejectRecipients("gone", 550, "5.1.1 <gone@dest.test>: Recipient address rejected: User "
                             + "unknown in local recipient table")) {
            dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2");
            Path token = ReloadFixture.writeToken(dir.resolve("admin.token"), ReloadFixture.TOKEN);
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).admin("token_file: " + token)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none")
                    .anotherListener("name: feedback\naddress: 127.0.0.1\nport: " + feedbackPort + "\nrole: feedback")
                    .topLevel("""
                            routes:
                              - name: bulk
                                match: {sender_domains: [client.test]}
                                pool: default
                                verp: {domain: bounces.sluice.test}
                              - name: default
                                pool: default
                            feedback:
                              domains: [fbl.sluice.test]
                            """).start()) {
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    c.send("MAIL FROM:<news@client.test>\r\nRCPT TO:<a@dest.test>\r\nRCPT TO:<b@dest.test>\r\n"
                            + "RCPT TO:<gone@dest.test>\r\nDATA\r\n");
                    assertThat(c.replies(5)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send(("Message-ID: <m1@client.test>\r\nFrom: news@client.test\r\nSubject: news\r\n\r\n"
                            + "hello\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 2
                        && events(daemon).stream().anyMatch(e -> type(e, "bounced")));
                String returnPathOfA = null;
                for (MxSink.Received m : sink.messages()) {
                    assertThat(m.recipients()).as("one recipient per transaction on a VERP route").hasSize(1);
                    assertThat(m.sender()).matches("b\\+[a-z2-7]{34}@bounces\\.sluice\\.test");
                    if (m.recipients().get(0).equals("a@dest.test")) {
                        returnPathOfA = m.sender();
                    }
                }
                assertThat(returnPathOfA).isNotNull();
                assertThat(sink.messages().get(0).sender()).isNotEqualTo(sink.messages().get(1).sender());

                int admin = daemon.adminPort();
                // a DSN whose token does not verify: taken (250) but dropped
                String forged = returnPathOfA.substring(0, 10) + (returnPathOfA.charAt(10) == 'a' ? 'b' : 'a')
                        + returnPathOfA.substring(11);
                assertThat(sendTo(feedbackPort, forged, dsn(forged, "a@dest.test"))).startsWith("250");
                await().atMost(Duration.ofSeconds(5)).until(() -> AdminHttp.metric(admin,
                        "sluice_feedback_messages_total{result=\"forged\"}") == 1.0);

                // the real one: async_bounce, and a@dest.test is suppressed
                assertThat(sendTo(feedbackPort, returnPathOfA, dsn(returnPathOfA, "a@dest.test"))).startsWith("250");
                JsonNode bounce = awaitEvent(daemon, "async_bounce");
                assertThat(bounce.get("recipient").asText()).isEqualTo("a@dest.test");
                assertThat(bounce.get("sender").asText()).isEqualTo("news@client.test");
                assertThat(bounce.get("reason").asText()).isEqualTo("userunknown");
                assertThat(bounce.get("hard").asBoolean()).isTrue();
                assertThat(AdminHttp.get(admin, "/admin/suppression?address=a@dest.test"))
                        .contains("async-bounce").contains("userunknown");

                // a complaint to the feedback address, matched by the original Message-ID and Original-Rcpt-To
                assertThat(sendTo(feedbackPort, "fbl@fbl.sluice.test", arf("b@dest.test", "<m1@client.test>")))
                        .startsWith("250");
                JsonNode complaint = awaitEvent(daemon, "complaint");
                assertThat(complaint.get("recipient").asText()).isEqualTo("b@dest.test");
                assertThat(complaint.get("reason").asText()).isEqualTo("feedback");
                assertThat(AdminHttp.get(admin, "/admin/suppression?address=b@dest.test"))
                        .contains("complaint").contains("client.test");
                assertThat(AdminHttp.metric(admin, "sluice_complaints_total{sender_domain=\"client.test\"}"))
                        .isEqualTo(1.0);
                assertThat(AdminHttp.metric(admin, "sluice_feedback_messages_total{result=\"bounce\"}"))
                        .isEqualTo(1.0);

                // mail for other domains is not taken, from anyone
                try (SmtpClient c = new SmtpClient("127.0.0.1", feedbackPort)) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO mx.example.net")).startsWith("250");
                    assertThat(c.command("MAIL FROM:<>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<someone@dest.test>")).startsWith("550 5.7.1");
                    assertThat(c.command("RCPT TO:<x@sub.bounces.sluice.test>")).startsWith("550 5.7.1");
                }

                // the bounce in the session on the VERP route: no DSN to news@client.test (no backscatter). The DSN
                // stage records the OUTCOME only after a DSN is journalled, so once the journal has it, a DSN would
                // have been received already.
                await().atMost(Duration.ofSeconds(10)).until(() -> dump(daemon.journalDir()).contains("\"bounced\""));
                Thread.sleep(300); // the event log is written a moment after the journal
                assertThat(events(daemon)).noneMatch(e -> type(e, "received") && e.path("sender").asText().isEmpty());
                assertThat(dump(daemon.journalDir())).as("no DSN message journalled").doesNotContain("\"sender\":\"\"");
            }
        }
    }

    private static String dump(Path journalDir) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            io.sluice.journal.JournalDump.dump(journalDir, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String sendTo(int port, String rcpt, String message) throws Exception {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO mx.dest.test")).startsWith("250");
            assertThat(c.command("MAIL FROM:<>")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + rcpt + ">")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send((message + ".\r\n").getBytes(StandardCharsets.UTF_8));
            return c.reply();
        }
    }

    /** An RFC 3464 DSN from dest.test's MX, as Postfix writes one. */
    static String dsn(String to, String recipient) {
        return "From: MAILER-DAEMON@mx1.dest.test (Mail Delivery System)\r\n"
                + "To: " + to + "\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n"
                + "\r\n"
                + "--B1\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
                + "--B1\r\n"
                + "Content-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx1.dest.test\r\n\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.1\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown"
                + "\r\n\r\n"
                + "--B1\r\n"
                + "Content-Type: text/rfc822-headers\r\n\r\n"
                + "Message-ID: <m1@client.test>\r\nFrom: news@client.test\r\nSubject: news\r\n\r\n"
                + "--B1--\r\n";
    }

    /** An RFC 5965 abuse report, as a mailbox provider's feedback loop sends one. */
    static String arf(String recipient, String messageId) {
        return "From: fbl@provider.example\r\n"
                + "To: fbl@fbl.sluice.test\r\n"
                + "Subject: complaint about message from 127.0.0.1\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F1\"\r\n"
                + "\r\n"
                + "--F1\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "This is an email abuse report for an email message received from IP 127.0.0.1.\r\n\r\n"
                + "--F1\r\n"
                + "Content-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: abuse\r\n"
                + "User-Agent: SomeGenerator/1.0\r\n"
                + "Version: 1\r\n"
                + "Original-Rcpt-To: " + recipient + "\r\n\r\n"
                + "--F1\r\n"
                + "Content-Type: message/rfc822\r\n\r\n"
                + "Message-ID: " + messageId + "\r\nFrom: news@client.test\r\nTo: " + recipient + "\r\n"
                + "Subject: news\r\n\r\nhello\r\n\r\n"
                + "--F1--\r\n";
    }

    private static JsonNode awaitEvent(TestDaemon daemon, String type) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            found.clear();
            events(daemon).stream().filter(e -> type(e, type)).forEach(found::add);
            return !found.isEmpty();
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static boolean type(JsonNode e, String type) {
        return e.get("type").asText().equals(type);
    }

    private static List<JsonNode> events(TestDaemon daemon) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(daemon.eventLog())) {
            return out;
        }
        for (String line : Files.readAllLines(daemon.eventLog(), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
