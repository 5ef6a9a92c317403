package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.journal.JournalDump;
import io.sluice.testing.MxSink;
import io.sluice.testing.FreePorts;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon on loopback: messages submitted over SMTP are made durable, scheduled, resolved through a
 * {@link TestDnsServer} (dest.test: MX 10 at 127.0.0.2, MX 20 at 127.0.0.3) and delivered to a recording sink at
 * {@code delivery.mx_port}; the journal then shows their outcomes and the JSON event log (read after shutdown,
 * which flushes it) their {@code received}, {@code attempt} and {@code delivered}/{@code bounced} events.
 */
class DeliveryEndToEndTest {
    private static final int MESSAGES = 20;
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <(m\\d+)@client\\.test>");
    private static final String QUEUED = "250 2.0.0 Ok: queued as ";

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageOnceWithTheStoredBytesAndBounceARejectedRecipient() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink primary = MxSink.startFailingHardAndSoft("127.0.0.2", mxPort);
             MxSink backup = MxSink.startFailingHardAndSoft("127.0.0.3", mxPort)) {
            dns.mx("dest.test", 10, "mx1.dest.test").mx("dest.test", 20, "mx2.dest.test")
                    .a("mx1.dest.test", "127.0.0.2").a("mx2.dest.test", "127.0.0.3");
            Path journalDir;
            Path eventLog;
            Map<String, String> queueIds = new HashMap<>();
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    // DSNs (on by default) are DsnEndToEndTest's subject; here they would add a message
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ndsn: false").start()) {
                journalDir = daemon.journalDir();
                eventLog = daemon.eventLog();
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    for (int i = 0; i < MESSAGES; i++) {
                        queueIds.put("user" + i + "@dest.test", submit(c, "user" + i + "@dest.test", i));
                    }
                    queueIds.put("hard@dest.test", submit(c, "hard@dest.test", MESSAGES));
                }
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> finalStates(journalDir), s -> s.size() == MESSAGES + 1);
                Map<String, String> states = finalStates(journalDir);
                assertThat(states.values()).as("outcomes in the journal")
                        .containsOnly("delivered", "bounced");
                assertThat(states.values().stream().filter("bounced"::equals)).hasSize(1);
            }

            assertDeliveryEvents(Files.readAllLines(eventLog, StandardCharsets.UTF_8), queueIds);
            assertThat(backup.messages()).as("the primary MX took everything").isEmpty();
            Map<String, byte[]> delivered = new HashMap<>();
            for (MxSink.Received r : primary.messages()) {
                String key = messageId(r.bytes());
                assertThat(delivered.put(key, r.bytes())).as("delivered once: " + key).isNull();
                assertThat(r.sender()).isEqualTo("sender@client.test");
            }
            assertThat(delivered).hasSize(MESSAGES).doesNotContainKey("m" + MESSAGES);
            List<StoredMessages.Stored> stored = StoredMessages.read(journalDir);
            assertThat(stored).hasSize(MESSAGES + 1);
            for (StoredMessages.Stored s : stored) {
                String key = messageId(s.bytes());
                if (s.recipients().equals(List.of("hard@dest.test"))) {
                    continue;
                }
                assertThat(delivered.get(key)).as("exact stored bytes of " + key).isEqualTo(s.bytes());
                assertThat(primary.messages().stream().filter(r -> messageId(r.bytes()).equals(key))
                        .findFirst().orElseThrow().recipients()).isEqualTo(s.recipients());
            }
        }
    }

    /**
     * Per message: one {@code received}, and (per recipient) one {@code attempt} at mx1 followed by one
     * {@code delivered} with code 250, or {@code bounced} with 550 5.1.1 for the rejected recipient; all with the
     * message's queue id. {@code received} is not ordered against the others: ingress publishes it from the session
     * while the scheduler may already be delivering (docs/events.md "Order").
     */
    private static void assertDeliveryEvents(List<String> lines, Map<String, String> queueIds) {
        for (Map.Entry<String, String> e : queueIds.entrySet()) {
            String recipient = e.getKey();
            String id = e.getValue();
            List<String> mine = lines.stream().filter(l -> l.contains("\"id\":\"" + id + "\"")).toList();
            assertThat(mine).as("events of " + id).extracting(l -> field(l, "type")).hasSize(3)
                    .contains("received")
                    .containsSubsequence("attempt", recipient.startsWith("hard") ? "bounced" : "delivered");
            assertThat(single(mine, "received")).contains("\"recipients\":[\"" + recipient + "\"]");
            String attempt = single(mine, "attempt");
            assertThat(field(attempt, "recipient")).isEqualTo(recipient);
            assertThat(field(attempt, "mx")).isEqualTo("mx1.dest.test");
            assertThat(field(attempt, "site")).isEqualTo("mx1.dest.test,mx2.dest.test");
            assertThat(field(attempt, "source")).isEqualTo("default");
            assertThat(field(attempt, "attempt")).isEqualTo("1");
            String outcome = single(mine, recipient.startsWith("hard") ? "bounced" : "delivered");
            assertThat(field(outcome, "recipient")).isEqualTo(recipient);
            assertThat(field(outcome, "mx")).isEqualTo("mx1.dest.test");
            assertThat(field(outcome, "attempt")).isEqualTo("1");
            assertThat(field(outcome, "latency_ms")).isNotNull();
            if (recipient.startsWith("hard")) {
                assertThat(field(outcome, "code")).isEqualTo("550");
                assertThat(field(outcome, "status")).isEqualTo("5.1.1");
            } else {
                assertThat(field(outcome, "code")).isEqualTo("250");
            }
        }
    }

    private static String single(List<String> lines, String type) {
        List<String> found = lines.stream().filter(l -> type.equals(field(l, "type"))).toList();
        assertThat(found).as(type + " events").hasSize(1);
        return found.get(0);
    }

    /** A top-level string or number field of one JSON line (the event log writes no nested objects). */
    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\d+))").matcher(line);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** Dot-stuffed line, empty line and 8-bit text, so the bytes must survive both directions. Returns the id. */
    private static String submit(SmtpClient c, String recipient, int n) throws Exception {
        c.send("MAIL FROM:<sender@client.test>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send(("Subject: e2e " + n + "\r\nMessage-ID: <m" + n + "@client.test>\r\n\r\n..dot line\r\n\r\ncaf\u00e9 "
                + n + "\r\n.\r\n").getBytes(StandardCharsets.UTF_8));
        String reply = c.reply();
        assertThat(reply).startsWith(QUEUED);
        return reply.substring(QUEUED.length()).trim();
    }

    private static String messageId(byte[] bytes) {
        Matcher m = MESSAGE_ID.matcher(new String(bytes, StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Message id to state for every message whose state is final (neither pending nor deferred). */
    private static Map<String, String> finalStates(Path journalDir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JournalDump.dump(journalDir, out);
        }
        Pattern line = Pattern.compile("\"id\":\"([0-9a-f]+)\".*\"state\":\"([a-z]+)\"");
        Map<String, String> states = new HashMap<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
            Matcher m = line.matcher(l);
            if (m.find() && !m.group(2).equals("pending") && !m.group(2).equals("deferred")
                    && !m.group(2).equals("unqueued")) {
                states.put(m.group(1), m.group(2));
            }
        }
        return states;
    }
}
