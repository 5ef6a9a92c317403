package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.journal.JournalDump;
import io.sluice.testing.FreePorts;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * {@code delivery.mx_port}; the journal then shows their outcomes.
 */
class DeliveryEndToEndTest {
    private static final int MESSAGES = 20;
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <(m\\d+)@client\\.test>");

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageOnceWithTheStoredBytesAndBounceARejectedRecipient() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             RecordingSink primary = new RecordingSink("127.0.0.2", mxPort);
             RecordingSink backup = new RecordingSink("127.0.0.3", mxPort)) {
            dns.mx("dest.test", 10, "mx1.dest.test").mx("dest.test", 20, "mx2.dest.test")
                    .a("mx1.dest.test", "127.0.0.2").a("mx2.dest.test", "127.0.0.3");
            Path journalDir;
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").start()) {
                journalDir = daemon.journalDir();
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    for (int i = 0; i < MESSAGES; i++) {
                        submit(c, "user" + i + "@dest.test", i);
                    }
                    submit(c, "hard@dest.test", MESSAGES);
                }
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> finalStates(journalDir), s -> s.size() == MESSAGES + 1);
                Map<String, String> states = finalStates(journalDir);
                assertThat(states.values()).as("outcomes in the journal")
                        .containsOnly("delivered", "bounced");
                assertThat(states.values().stream().filter("bounced"::equals)).hasSize(1);
            }

            assertThat(backup.messages).as("the primary MX took everything").isEmpty();
            Map<String, byte[]> delivered = new HashMap<>();
            for (RecordingSink.Received r : primary.messages) {
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
                assertThat(primary.messages.stream().filter(r -> messageId(r.bytes()).equals(key))
                        .findFirst().orElseThrow().recipients()).isEqualTo(s.recipients());
            }
        }
    }

    /** Dot-stuffed line, empty line and 8-bit text, so the bytes must survive both directions. */
    private static void submit(SmtpClient c, String recipient, int n) throws Exception {
        c.send("MAIL FROM:<sender@client.test>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send(("Subject: e2e " + n + "\r\nMessage-ID: <m" + n + "@client.test>\r\n\r\n..dot line\r\n\r\ncaf\u00e9 "
                + n + "\r\n.\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
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
