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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon per journal, with real processes: a second daemon started on the journal of a
 * running one exits at once, naming the first one's PID, before it recovers anything, so the first one's pending
 * mail is not delivered twice; after the first is killed with SIGKILL (no clean release) the OS has dropped its
 * lock and a new daemon starts on the same journal and delivers that mail once. {@code journal dump} takes no lock
 * and reads the journal beside the running daemon.
 *
 * <p>The first daemon's DNS points nowhere, so its mail stays pending; the second's DNS and MX are real loopback
 * servers, so any mail it recovered would arrive at the sink.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JournalLockProcessTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondDaemonOnTheSameJournalNamingTheFirstOnesPidAndStartAfterSigkill() throws Exception {
        int mxPort = FreePorts.next();
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("lock.test", 10, "mx.lock.test").a("mx.lock.test", "127.0.0.2");
            // Short retries, so the mail its DNS failure deferred is due soon after the successor recovers it.
            Path firstConfig = TestDaemon.in(first).delivery("retry:\n  first: 1s\n  max: 2s").writeConfig();
            Path secondConfig = TestDaemon.in(second).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").queue("restart_spread: 1s")
                    .writeConfig();
            // The same journal, everything else (ports, event log) its own.
            Files.writeString(secondConfig, Files.readString(secondConfig).replace(
                    second.resolve("journal").toString(), first.resolve("journal").toString()), StandardCharsets.UTF_8);

            try (DaemonProcess running = DaemonProcess.start(firstConfig)) {
                try (Submitter s = new Submitter("127.0.0.1", smtpPort(firstConfig))) {
                    s.submit("pending@client.test", "user@lock.test");
                }
                long start = System.nanoTime();
                try (DaemonProcess intruder = DaemonProcess.launch(secondConfig)) {
                    int exit = intruder.awaitExit(30);
                    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                    String output = String.join("\n", intruder.output());
                    assertThat(exit).as("exit code of the second daemon:\n%s", output).isNotZero();
                    assertThat(output).contains("PID " + running.pid()).contains("in use by another sluice daemon")
                            .contains(first.resolve("journal").toRealPath().toString());
                    assertThat(output).as("nothing recovered").doesNotContain("recovered ").doesNotContain("sluice ready");
                    assertThat(seconds).as("fails at once").isLessThan(20);
                }
                Thread.sleep(500);
                assertThat(sink.messages()).as("the first daemon's pending mail, not delivered by the second")
                        .isEmpty();
                try (Submitter s = new Submitter("127.0.0.1", smtpPort(firstConfig))) {
                    s.submit("after@client.test", "user@lock.test"); // the first daemon is undisturbed
                }
                // The read-only dump takes no lock: it works beside the running daemon.
                ByteArrayOutputStream dump = new ByteArrayOutputStream();
                JournalDump.dump(first.resolve("journal"), new PrintStream(dump, true, StandardCharsets.UTF_8));
                assertThat(dump.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("user@lock.test")))
                        .hasSize(2);
                running.kill();
            }

            try (DaemonProcess successor = DaemonProcess.start(secondConfig)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.messages().size() >= 2);
                Thread.sleep(500);
                assertThat(sink.countsByMessageId())
                        .isEqualTo(Map.of("pending@client.test", 1, "after@client.test", 1));
                assertThat(successor.terminate()).as("exit code after SIGTERM").isZero();
            }
        }
    }

    static int smtpPort(Path config) throws Exception {
        return Integer.parseInt(Files.readAllLines(config).stream().filter(l -> l.trim().startsWith("port:"))
                .findFirst().orElseThrow().trim().substring(5).trim());
    }
}
