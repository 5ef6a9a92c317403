package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.journal.JournalDump;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSNs end to end (docs/architecture.md "Durability"): the whole daemon on loopback with a {@link TestDnsServer}
 * zone, the recipients' MX (dest.test, 127.0.0.2) and the senders' MX (client.test, 127.0.0.4) as SubEthaSMTP
 * sinks. A message that bounces (550, NXDOMAIN, null MX) or expires comes back to its envelope sender as an
 * RFC 3464 {@code multipart/report} from the null sender, delivered by Sluice's own queue; a null-sender message
 * that bounces gets none. The DSN is parsed with a real MIME parser (Jakarta Mail).
 */
class DsnEndToEndTest {
    private static final String QUEUED = "250 2.0.0 Ok: queued as ";
    private static final String SENDER = "app@client.test";

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private MxSink recipientsMx;
    private MxSink sendersMx;
    private int mxPort;

    @BeforeEach
    void zone() throws Exception {
        mxPort = FreePorts.next();
        dns = TestDnsServer.start("test");
        dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2")
                .mx("client.test", 10, "mx.client.test").a("mx.client.test", "127.0.0.4")
                .nullMx("nullmx.test");
        recipientsMx = MxSink.startFailingHardAndSoft("127.0.0.2", mxPort); // hard@: 550 5.1.1, soft@: 451 4.2.0
        sendersMx = MxSink.start("127.0.0.4", mxPort);
    }

    @AfterEach
    void stop() throws Exception {
        recipientsMx.close();
        sendersMx.close();
        dns.close();
    }

    private TestDaemon daemon(String extraDelivery) throws Exception {
        return TestDaemon.in(dir).dns(dns)
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true" + extraDelivery).start();
    }

    @Test
    void shouldBounceA550WithoutRetryAndReturnADsnToTheSender() throws Exception {
        String id;
        String dsnId;
        Path eventLog;
        try (TestDaemon daemon = daemon("")) {
            eventLog = daemon.eventLog();
            id = submit(daemon, "<" + SENDER + ">", "hard@dest.test", "Subject: order 42\r\n"
                    + "Message-ID: <o42@client.test>\r\nX-Order: 42\r\n\r\nbody of the order\r\n");
            MxSink.Received dsn = awaitOneDsn();
            assertThat(dsn.sender()).as("null reverse-path").isEmpty();
            assertThat(dsn.recipients()).containsExactly(SENDER);
            Map<String, String> status = assertReport(dsn, "hard@dest.test", "5.1.1");
            assertThat(status.get("Remote-MTA")).isEqualTo("dns; mx1.dest.test");
            assertThat(status.get("Diagnostic-Code")).startsWith("smtp; 550 5.1.1");
            assertThat(status.get("X-Sluice-Queue-ID")).isEqualTo(id);
            String headers = part(dsn, 2);
            assertThat(headers).contains("Subject: order 42", "Message-ID: <o42@client.test>", "X-Order: 42")
                    .doesNotContain("body of the order");
            dsnId = dsnQueueId(dsn);
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal),
                    s -> "bounced".equals(s.get(id)) && "delivered".equals(s.get(dsnId)));
        }
        assertThat(recipientsMx.rcptAttempts("hard@dest.test")).as("a 5xx is final: no retry").isEqualTo(1);
        List<String> events = Files.readAllLines(eventLog, StandardCharsets.UTF_8);
        assertThat(eventsOf(events, id)).containsExactlyInAnyOrder("received", "attempt", "bounced");
        List<String> dsnEvents = events.stream().filter(l -> l.contains("\"id\":\"" + dsnId + "\"")).toList();
        assertThat(dsnEvents).anySatisfy(l -> assertThat(l).contains("\"type\":\"received\"", "\"listener\":\"dsn\""));
        assertThat(dsnEvents).anySatisfy(l -> assertThat(l).contains("\"type\":\"delivered\""));
    }

    @Test
    void shouldReturnADsnWith512ForANonexistentDomain() throws Exception {
        try (TestDaemon daemon = daemon("")) {
            submit(daemon, "<" + SENDER + ">", "user@nowhere.test", "Subject: nx\r\n\r\nx\r\n");
            Map<String, String> status = assertReport(awaitOneDsn(), "user@nowhere.test", "5.1.2");
            assertThat(status).doesNotContainKey("Remote-MTA");
        }
        assertThat(recipientsMx.messages()).isEmpty();
    }

    @Test
    void shouldReturnADsnWith5110ForANullMx() throws Exception {
        try (TestDaemon daemon = daemon("")) {
            submit(daemon, "<" + SENDER + ">", "user@nullmx.test", "Subject: null mx\r\n\r\nx\r\n");
            Map<String, String> status = assertReport(awaitOneDsn(), "user@nullmx.test", "5.1.10");
            assertThat(status.get("Diagnostic-Code")).contains("null MX");
        }
    }

    @Test
    void shouldReportARefusalSluiceDecidedItselfAsItsOwnNotAsTheMxs() throws Exception {
        dns.mx("small.test", 10, "mx.small.test").a("mx.small.test", "127.0.0.5");
        try (MxSink small = MxSink.startWithMaxSize("127.0.0.5", mxPort, 100);
             TestDaemon daemon = daemon("")) {
            submit(daemon, "<" + SENDER + ">", "big@small.test", "Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(30));
            MxSink.Received dsn = awaitOneDsn();
            Map<String, String> status = assertReport(dsn, "big@small.test", "5.3.4");
            assertThat(status).as("no MX said it: Sluice saw SIZE 100 and did not send").doesNotContainKey("Remote-MTA");
            assertThat(status.get("Diagnostic-Code")).startsWith("X-Sluice; 5.3.4 message size ")
                    .contains("exceeds size limit 100 of server mx.small.test");
            assertThat(part(dsn, 0)).doesNotContain("said:");
            assertThat(small.messages()).isEmpty();
        }
    }

    @Test
    void shouldSendNoDsnForABounceOfANullSenderMessage() throws Exception {
        String id;
        try (TestDaemon daemon = daemon("")) {
            id = submit(daemon, "<>", "hard@dest.test", "Subject: a bounce itself\r\n\r\nx\r\n");
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal), s -> "bounced".equals(s.get(id)));
            Thread.sleep(300); // a DSN, if one were due, is journalled before the OUTCOME: give delivery a moment
        }
        assertThat(sendersMx.messages()).isEmpty();
        assertThat(StoredMessages.read(dir.resolve("journal"))).as("no DSN was queued").hasSize(1);
    }

    @Test
    void shouldSendNoDsnWhenDeliveryDsnIsOff() throws Exception {
        String id;
        try (TestDaemon daemon = daemon("\ndsn: false")) {
            id = submit(daemon, "<" + SENDER + ">", "hard@dest.test", "Subject: quiet\r\n\r\nx\r\n");
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal), s -> "bounced".equals(s.get(id)));
            Thread.sleep(300);
        }
        assertThat(sendersMx.messages()).isEmpty();
        assertThat(StoredMessages.read(dir.resolve("journal"))).hasSize(1);
    }

    @Test
    void shouldReturnTheLastRemoteReplyInTheDsnWhenAMessageExpires() throws Exception {
        String id;
        Path eventLog;
        try (TestDaemon daemon = daemon("\nmax_age: 1s\nretry:\n  first: 100ms\n  max: 200ms")) {
            eventLog = daemon.eventLog();
            id = submit(daemon, "<" + SENDER + ">", "soft@dest.test", "Subject: late\r\n\r\nx\r\n");
            MxSink.Received dsn = awaitOneDsn();
            Map<String, String> status = assertReport(dsn, "soft@dest.test", "4.2.0");
            assertThat(status.get("X-Sluice-Queue-ID")).isEqualTo(id);
            assertThat(status.get("Remote-MTA")).as("the MX that kept answering 451").isEqualTo("dns; mx1.dest.test");
            assertThat(status.get("Diagnostic-Code")).isEqualTo("smtp; 451 4.2.0 mailbox busy");
            assertThat(part(dsn, 0)).contains("mx1.dest.test said: 451 4.2.0 mailbox busy");
            String rfc5322Date = "[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000";
            assertThat(status.get("Arrival-Date")).matches(rfc5322Date);
            assertThat(status.get("Last-Attempt-Date")).matches(rfc5322Date);
            assertThat(parse(dsn).getHeader("Date")[0]).matches(rfc5322Date);
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal), s -> "expired".equals(s.get(id)));
        }
        assertThat(recipientsMx.rcptAttempts("soft@dest.test")).as("retried until max_age").isGreaterThan(1);
        List<String> deferred = Files.readAllLines(eventLog, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"id\":\"" + id + "\"") && l.contains("\"type\":\"deferred\"")).toList();
        assertThat(deferred).isNotEmpty().allSatisfy(l -> assertThat(l)
                .as("the enhanced status of the 451").contains("\"code\":451", "\"status\":\"4.2.0\""));
    }

    @Test
    void shouldReturnTheLastRemoteReplyInAnExpiryDsnWrittenAfterARestart() throws Exception {
        String id;
        try (TestDaemon daemon = daemon("\nretry:\n  first: 2s\n  max: 2s")) {
            id = submit(daemon, "<" + SENDER + ">", "soft@dest.test", "Subject: late\r\n\r\nx\r\n");
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal), s -> "deferred".equals(s.get(id)));
        }
        assertThat(recipientsMx.rcptAttempts("soft@dest.test")).isEqualTo(1);
        // The restarted daemon knows only the retry schedule; max_age has passed when the retry falls due.
        try (TestDaemon daemon = daemon("\nmax_age: 1s\nretry:\n  first: 2s\n  max: 2s")) {
            MxSink.Received dsn = awaitOneDsn();
            Map<String, String> status = assertReport(dsn, "soft@dest.test", "4.2.0");
            assertThat(status.get("X-Sluice-Queue-ID")).isEqualTo(id);
            assertThat(status.get("Remote-MTA")).as("named by the journalled DEFERRED").isEqualTo("dns; mx1.dest.test");
            assertThat(status.get("Diagnostic-Code")).isEqualTo("smtp; 451 4.2.0 mailbox busy");
            Path journal = daemon.journalDir();
            await().atMost(Duration.ofSeconds(10)).until(() -> states(journal), s -> "expired".equals(s.get(id)));
        }
        assertThat(recipientsMx.rcptAttempts("soft@dest.test")).as("expired without another attempt").isEqualTo(1);
    }

    private MxSink.Received awaitOneDsn() {
        await().atMost(Duration.ofSeconds(10)).until(() -> sendersMx.messages().size() == 1);
        return sendersMx.messages().get(0);
    }

    /**
     * Checks the DSN's MIME structure (RFC 6522) and its one per-recipient block; returns the delivery-status
     * fields (per-message and per-recipient together).
     */
    private static Map<String, String> assertReport(MxSink.Received dsn, String recipient, String status)
            throws Exception {
        MimeMessage message = parse(dsn);
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(message.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(1).getContentType()).isEqualTo("message/delivery-status");
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        Map<String, String> fields = new HashMap<>();
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            InternetHeaders perMessage = new InternetHeaders(in);
            InternetHeaders perRecipient = new InternetHeaders(in);
            assertThat(new InternetHeaders(in).getAllHeaderLines().hasMoreElements()).as("one recipient").isFalse();
            for (InternetHeaders h : List.of(perMessage, perRecipient)) {
                h.getAllHeaders().asIterator().forEachRemaining(f -> fields.put(f.getName(), f.getValue()));
            }
        }
        assertThat(fields.get("Reporting-MTA")).isEqualTo("dns; mx.sluice.test");
        assertThat(fields.get("Final-Recipient")).isEqualTo("rfc822; " + recipient);
        assertThat(fields.get("Action")).isEqualTo("failed");
        assertThat(fields.get("Status")).isEqualTo(status);
        return fields;
    }

    private static MimeMessage parse(MxSink.Received dsn) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn.bytes()));
    }

    private static String part(MxSink.Received dsn, int index) throws Exception {
        MimeMultipart parts = (MimeMultipart) parse(dsn).getContent();
        try (InputStream in = parts.getBodyPart(index).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The DSN's own queue id, from the Received line Sluice put on it. */
    private static String dsnQueueId(MxSink.Received dsn) {
        Matcher m = Pattern.compile("\\(Sluice\\) id ([0-9a-f]{16})")
                .matcher(new String(dsn.bytes(), StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Submits one message over SMTP; returns its queue id. */
    private static String submit(TestDaemon daemon, String from, String to, String text) throws Exception {
        try (SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO app.client.test")).startsWith("250");
            c.send("MAIL FROM:" + from + "\r\nRCPT TO:<" + to + ">\r\nDATA\r\n");
            assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
            c.send((text + ".\r\n").getBytes(StandardCharsets.UTF_8));
            String reply = c.reply();
            assertThat(reply).startsWith(QUEUED);
            c.command("QUIT");
            return reply.substring(QUEUED.length()).trim();
        }
    }

    private static List<String> eventsOf(List<String> lines, String id) {
        Pattern type = Pattern.compile("\"type\":\"([a-z]+)\"");
        return lines.stream().filter(l -> l.contains("\"id\":\"" + id + "\"")).map(l -> {
            Matcher m = type.matcher(l);
            return m.find() ? m.group(1) : "?";
        }).toList();
    }

    /** Message id to state, from the journal dump. */
    private static Map<String, String> states(Path journalDir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JournalDump.dump(journalDir, out);
        }
        Pattern line = Pattern.compile("\"id\":\"([0-9a-f]+)\".*\"state\":\"([a-z]+)\"");
        Map<String, String> states = new HashMap<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                states.put(m.group(1), m.group(2));
            }
        }
        return states;
    }
}
