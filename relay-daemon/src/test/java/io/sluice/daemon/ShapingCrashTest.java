package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.scheduler.ShapingState;
import io.sluice.scheduler.WarmupState;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shaping state survives SIGKILL (docs/shaping.md): the daemon (its own JVM) gets Gmail-like {@code 421 4.7.28}
 * from a provider's MX, whose reply rule suspends that provider for an hour, and its one warming source reaches its
 * daily cap on another site; killed with SIGKILL and restarted on the same journal, the suspension still holds
 * (nothing more goes to the provider) and today's warm-up count is kept (nothing more goes over the cap). The mail
 * waits (deferred, none bounced).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShapingCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepASuspensionAndTodaysWarmupCountAcrossSigkill() throws Exception {
        int mxPort = FreePorts.next();
        Path journal = dir.resolve("journal");
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)
                     .rejectRecipients("limited", 421, "4.7.28 Our system has detected an unusual rate")) {
            dns.mx("big.test", 10, "mx1.bigmail.test").a("mx1.bigmail.test", "127.0.0.2");
            dns.mx("plain.test", 10, "mx.plain.test").a("mx.plain.test", "127.0.0.2");
            Files.writeString(dir.resolve("shaping.yaml"), """
                    default: {tls: none}
                    providers:
                      - name: bigmail
                        mx_suffixes: [.bigmail.test]
                        automation:
                          - {match: '4\\.7\\.28', trigger: immediate, action: {suspend: 1h}}
                    warmup:
                      schedules:
                        - {name: slow, days: [{day: 1, default: 5, bigmail: 100}, {day: 30, default: 1000}]}
                    """);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Path config = TestDaemon.in(dir).dns(dns).delivery("mx_port: " + mxPort
                    + "\nallow_private_mx: true\nretry:\n  first: 1h")
                    .queue("restart_spread: 1s")
                    .topLevel("shaping:\n  file: shaping.yaml\n"
                            + "sources:\n  - {name: ip1, address: 127.0.0.1, warmup: {schedule: slow, start: " + today
                            + "}}\n"
                            + "pools:\n  - {name: default, sources: [{source: ip1, weight: 1}]}\n")
                    .writeConfig();
            int smtpPort = Integer.parseInt(Files.readAllLines(config).stream()
                    .filter(l -> l.trim().startsWith("port:")).findFirst().orElseThrow().trim().substring(5).trim());

            try (DaemonProcess daemon = DaemonProcess.start(config)) {
                try (Submitter s = new Submitter("127.0.0.1", smtpPort)) {
                    s.submit("rate@client.test", "limited@big.test");
                    try {
                        await().atMost(Duration.ofSeconds(20)).until(() -> suspended(journal));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError(String.join("\n", daemon.output()) + "\n"
                                + Files.readString(dir.resolve("events").resolve("events.jsonl")), e);
                    }
                    for (int i = 0; i < 8; i++) {
                        s.submit("p" + i + "@client.test", "user" + i + "@plain.test");
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.messages().size() == 5);
                await().atMost(Duration.ofSeconds(10)).until(() -> sentToday(journal) == 5);
                Thread.sleep(1_000);
                assertThat(sink.messages()).as("day 1: a cap of 5 for the default provider").hasSize(5);
                daemon.kill();
            }

            try (DaemonProcess restarted = DaemonProcess.start(config)) {
                assertThat(restarted.output()).anyMatch(l -> l.contains("shaping actions in force")
                        && l.contains("bigmail"));
                try (Submitter s = new Submitter("127.0.0.1", smtpPort)) {
                    s.submit("after@client.test", "ok@big.test");
                    s.submit("more@client.test", "late@plain.test");
                }
                Thread.sleep(3_000);
                assertThat(sink.messages()).as("nothing more: bigmail suspended, ip1 at today's cap").hasSize(5);
                assertThat(sink.rcptAttempts("ok@big.test")).isZero();
                assertThat(suspended(journal)).isTrue();
                assertThat(sentToday(journal)).isEqualTo(5);
                assertThat(restarted.terminate()).isZero();
            }
        }
    }

    private static boolean suspended(Path journal) throws Exception {
        return ShapingState.read(journal, System.currentTimeMillis()).actions().stream()
                .anyMatch(a -> a.suspend() && "bigmail".equals(a.provider()));
    }

    private static long sentToday(Path journal) throws Exception {
        return WarmupState.read(journal).sources().stream().filter(s -> s.source().equals("ip1"))
                .mapToLong(s -> s.sent().getOrDefault("default", 0L)).sum();
    }
}
