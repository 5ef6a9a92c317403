package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.config.ReloadOutcome;
import io.sluice.config.Settings;
import io.sluice.testing.JournalStates;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload while mail flows: a client keeps submitting on fresh sessions, a session opened
 * before the reload is still mid-transaction, and the reload lowers {@code smtp.max_recipients}. New sessions get
 * the new limit, the open session keeps its own and completes, and every message that got a 250 is in the journal.
 * A reloaded {@code delivery.retry.first} decides the next DEFERRED's due time while earlier deferrals keep theirs;
 * reloaded {@code relay_networks} decide for new sessions.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadUnderTrafficTest {
    private static final Pattern RETRY = Pattern.compile(
            "\"id\":\"([0-9a-f]+)\".*\"time\":\"([^\"]+)\".*\"nextDue\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void shouldApplyALowerRecipientLimitToNewSessionsWithoutDroppingOpenSessionsOrMail() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            List<String> accepted = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread traffic = new Thread(() -> {
                int n = 0;
                while (!stop.get()) {
                    try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
                        accepted.add(s.submit("live" + n++ + "@client.test", "a@dest.test"));
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "traffic");
            traffic.start();
            int atReload;
            try (SmtpClient open = new SmtpClient("127.0.0.1", f.smtpPort())) {
                assertThat(open.reply()).startsWith("220");
                assertThat(open.command("EHLO open.test")).startsWith("250");
                assertThat(open.command("MAIL FROM:<s@client.test>")).startsWith("250");
                for (int i = 0; i < 2; i++) {
                    assertThat(open.command("RCPT TO:<o" + i + "@dest.test>")).startsWith("250");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= 5 || !failures.isEmpty());

                f.edit("max_recipients: 5", "max_recipients: 2");
                ReloadOutcome outcome = f.daemon.reload();
                assertThat(outcome).isEqualTo(ReloadOutcome.success());
                assertThat(f.daemon.settings().current().smtp().maxRecipients()).isEqualTo(2);
                atReload = accepted.size();

                // The open session started under the old limit of 5 and keeps it.
                for (int i = 2; i < 5; i++) {
                    assertThat(open.command("RCPT TO:<o" + i + "@dest.test>")).as("open session rcpt " + i)
                            .startsWith("250");
                }
                assertThat(open.command("DATA")).startsWith("354");
                open.send("Subject: open\r\n\r\nbody\r\n.\r\n");
                String queued = open.reply();
                assertThat(queued).startsWith("250 2.0.0 Ok: queued as ");
                accepted.add(queued.substring("250 2.0.0 Ok: queued as ".length()).trim());
            }
            try (SmtpClient fresh = new SmtpClient("127.0.0.1", f.smtpPort())) {
                assertThat(fresh.reply()).startsWith("220");
                fresh.command("EHLO fresh.test");
                fresh.command("MAIL FROM:<s@client.test>");
                assertThat(fresh.command("RCPT TO:<n0@dest.test>")).startsWith("250");
                assertThat(fresh.command("RCPT TO:<n1@dest.test>")).startsWith("250");
                assertThat(fresh.command("RCPT TO:<n2@dest.test>")).as("third recipient under the new limit")
                        .isEqualTo("452 4.5.3 Error: too many recipients");
            }
            int before = accepted.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= before + 5 || !failures.isEmpty());
            stop.set(true);
            traffic.join(10_000);

            assertThat(failures).as("submissions during the reload").isEmpty();
            assertThat(accepted.size()).as("messages accepted after the reload").isGreaterThan(atReload + 1);
            Map<String, String> journal = JournalStates.read(f.daemon.settings().current().journal().dir());
            assertThat(journal.keySet()).as("every acknowledged message is in the journal")
                    .containsAll(accepted);
        }
    }

    @Test
    void shouldTimeTheNextDeferralWithAReloadedRetryPolicy() throws Exception {
        // DNS points at a loopback port where nothing answers: every lookup times out, a temporary failure.
        TestDaemon.Builder builder = TestDaemon.in(dir).delivery("retry:\n  first: 1h\n  max: 4h");
        try (ReloadFixture f = ReloadFixture.start(builder, dir)) {
            Path journal = f.daemon.settings().current().journal().dir();
            String before;
            try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
                before = s.submit("before@client.test", "a@nowhere.test");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> retries(journal).containsKey(before));

            f.edit("first: 1h", "first: 10m");
            assertThat(f.daemon.reload().applied()).isTrue();
            Settings now = f.daemon.settings().current();
            assertThat(now.delivery().retryFirst()).isEqualTo(Duration.ofMinutes(10));

            String after;
            try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
                after = s.submit("after@client.test", "b@nowhere.test");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> retries(journal).containsKey(after));
            Map<String, Duration> waits = retries(journal);
            // first interval +/-20% jitter; the lookup itself took at most a few seconds of the measured wait
            assertThat(waits.get(before)).as("deferred under the old policy")
                    .isBetween(Duration.ofMinutes(48), Duration.ofMinutes(72).plusSeconds(5));
            assertThat(waits.get(after)).as("deferred under the reloaded policy")
                    .isBetween(Duration.ofMinutes(8), Duration.ofMinutes(12).plusSeconds(5));
        }
    }

    /** Queue id to (next due - received time) of each message with a DEFERRED record. */
    private static Map<String, Duration> retries(Path journal) throws Exception {
        Map<String, Duration> waits = new java.util.HashMap<>();
        List<String> lines = new ArrayList<>(JournalStates.dump(journal).lines().toList());
        for (String line : lines) {
            Matcher m = RETRY.matcher(line);
            if (m.find()) {
                waits.put(m.group(1), Duration.between(Instant.parse(m.group(2)), Instant.parse(m.group(3))));
            }
        }
        return waits;
    }

    @Test
    void shouldApplyReloadedRelayNetworksToNewSessions() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).listener("relay_networks: [127.0.0.0/8]"),
                dir)) {
            try (SmtpClient before = new SmtpClient("127.0.0.1", f.smtpPort())) {
                assertThat(before.reply()).startsWith("220");
                before.command("EHLO before.test");
                before.command("MAIL FROM:<s@client.test>");
                assertThat(before.command("RCPT TO:<a@dest.test>")).startsWith("250");

                f.edit("relay_networks: [127.0.0.0/8]", "relay_networks: [10.0.0.0/8]");
                assertThat(f.daemon.reload()).isEqualTo(ReloadOutcome.success());

                assertThat(before.command("RCPT TO:<b@dest.test>")).as("an open session keeps its verdict")
                        .startsWith("250");
            }
            try (SmtpClient after = new SmtpClient("127.0.0.1", f.smtpPort())) {
                assertThat(after.reply()).startsWith("220");
                after.command("EHLO after.test");
                after.command("MAIL FROM:<s@client.test>");
                assertThat(after.command("RCPT TO:<a@dest.test>")).as("127.0.0.1 is no longer a relay network")
                        .startsWith("554 5.7.1");
            }
        }
    }
}
