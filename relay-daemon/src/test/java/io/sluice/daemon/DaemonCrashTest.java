package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.JournalSettings;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalDump;
import io.sluice.journal.MessageIds;
import io.sluice.journal.PendingSet;
import io.sluice.journal.Recovery;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.TestDaemon;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md "Durability": the daemon runs as its own JVM, several clients submit concurrently, the daemon is
 * killed with SIGKILL mid-stream and restarted. Every message that got a 250 must be in the journal with exactly
 * the bytes sent (after the defined submission hygiene) and be pending again; SIGTERM then stops it with exit 0.
 */
class DaemonCrashTest {
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedMessageAcrossSigkill() throws Exception {
        Path config = TestDaemon.in(dir).writeConfig();
        int port = Integer.parseInt(java.nio.file.Files.readAllLines(config).stream()
                .filter(l -> l.trim().startsWith("port:")).findFirst().orElseThrow().trim().substring(5).trim());
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (DaemonProcess daemon = DaemonProcess.start(config)) {
            Thread[] clients = new Thread[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                clients[i] = new Thread(() -> submitUntilBroken(port, client, acknowledged, stop));
                clients[i].start();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acknowledged.size() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            daemon.kill();
            stop.set(true);
            for (Thread t : clients) {
                t.join(20_000);
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);

        try (DaemonProcess restarted = DaemonProcess.start(config)) {
            String recoveredLine = restarted.awaitLine("recovered ", 30);
            assertThat(recoveredLine).contains("recovered ");
            assertThat(restarted.terminate()).as("exit code after SIGTERM").isZero();
            assertThat(restarted.output()).anyMatch(l -> l.contains("stopped in"));
        }

        Path journalDir = dir.resolve("journal");
        Map<String, Stored> stored = StoredMessages.read(journalDir).stream()
                .collect(Collectors.toMap(Stored::id, Function.identity()));
        PendingSet pending;
        try (Journal journal = Journal.open(new JournalSettings(journalDir, JournalSettings.SyncPolicy.NONE, 0,
                Duration.ofMinutes(1)), 20L << 20)) {
            pending = Recovery.recover(journal).pending();
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        JournalDump.dump(journalDir, new PrintStream(dump, true, StandardCharsets.UTF_8));
        List<String> dumpLines = List.of(dump.toString(StandardCharsets.UTF_8).split("\n"));
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            Stored message = stored.get(ack.getKey());
            assertThat(message).as("acknowledged message %s is in the journal", ack.getKey()).isNotNull();
            String text = message.text();
            assertThat(text.substring(text.indexOf("From: "))).as("exact bytes of %s", ack.getKey())
                    .isEqualTo(ack.getValue());
            assertThat(pending.isPending(MessageIds.parse(ack.getKey()), 0)).as("%s pending", ack.getKey()).isTrue();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message.bytes()));
            assertThat(dumpLines).anyMatch(l -> l.contains("\"id\":\"" + ack.getKey() + "\"")
                    && l.contains("\"sha256\":\"" + sha + "\"")
                    // Still pending; "deferred" once the daemon's (unreachable loopback) DNS lookup has failed.
                    && (l.contains("\"state\":\"pending\"") || l.contains("\"state\":\"deferred\"")));
        }
    }

    /** One client: pipelined transactions on one connection until the daemon dies or {@code stop}. */
    private static void submitUntilBroken(int port, int client, Map<String, String> acknowledged, AtomicBoolean stop) {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.reply();
            c.command("EHLO client" + client);
            for (int n = 0; !stop.get(); n++) {
                String text = "From: c" + client + "@client.test\r\nSubject: crash " + client + "-" + n + "\r\n"
                        + "Message-ID: <" + client + "." + n + "@client.test>\r\nDate: Sun, 22 Nov 2026 08:00:00 +0000"
                        + "\r\n\r\n" + ("body of " + client + "-" + n + " ").repeat(40) + "\r\n";
                c.send("MAIL FROM:<c" + client + "@client.test>\r\nRCPT TO:<r" + n + "@dest.test>\r\nDATA\r\n");
                List<String> replies = c.replies(3);
                if (replies.contains(null) || !replies.get(2).startsWith("354")) {
                    return;
                }
                c.send(text + ".\r\n");
                String reply = c.reply();
                if (reply == null || !reply.startsWith("250 ")) {
                    return;
                }
                acknowledged.put(reply.substring(reply.length() - 16), text);
            }
        } catch (Exception e) {
            // the daemon was killed: what was acknowledged before is what counts
        }
    }
}
