package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.metrics.PrometheusText;
import io.sluice.testing.FreePorts;
import io.sluice.testing.JournalStates;
import io.sluice.testing.MxSink;
import io.sluice.testing.RefusingMx;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site that is down (docs/architecture.md "Retries and health"): after a few failed connections the site is dead; its
 * mail is held and the site is probed with one connection at the probe schedule, not hammered once per message per
 * retry. When the MX hosts come back, the next probe revives the site and every held message is delivered
 * exactly once, none lost.
 *
 * <p>Two sites at once, one per way of being down: {@code down.test} at 127.0.0.2 where nothing listens
 * (connection refused; failed tries are counted from the journal's DEFERRED attempts), {@code dead.test} at
 * 127.0.0.3 where a {@link RefusingMx} greets with 421 (connections counted where they land). Retries are short
 * ({@code retry.first} {@value #RETRY_FIRST_MS} ms) so that a site without health tracking would be tried hundreds
 * of times during the observation. Slow by design: the first probe is due 60 s after the site died
 * ({@code SchedulerOptions.from}, not configurable), so this class takes about a minute.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeliveryDeadSiteTest {
    private static final int PER_SITE = 30;
    private static final long RETRY_FIRST_MS = 200;
    /** Connection failures in a row that make a site dead ({@code queue.dead_site_failures}, the default). */
    private static final int FAILURES_TO_DIE = 3;
    /**
     * The first probe interval of a dead site ({@code queue.dead_site_first_probe}): long enough for the "nothing
     * while dead" checks below (about 5 s after submission) to finish before it.
     */
    private static final long FIRST_PROBE_MS = 8_000;
    /** The scheduler's timer wheel tick: a timer may fire up to this much off its deadline. */
    private static final long TICK_MS = 256;

    @TempDir
    Path dir;

    /** One connection at a time, so no try is still in flight when the site dies: the counts are exact. */
    @Test
    void shouldProbeADeadSiteInsteadOfRetryingEachMessageAndDeliverEverythingOnceItIsBack() throws Exception {
        probeCycle(1);
    }

    /**
     * With two connections, one try is still in flight when the third failure kills the site. Its failure must
     * not count as a failed probe: the first probe is still due {@value #FIRST_PROBE_MS} ms after the death.
     */
    @Test
    void shouldProbeAtTheFirstIntervalWhenATryStartedBeforeTheDeathFailsAfterIt() throws Exception {
        probeCycle(2);
    }

    private void probeCycle(int maxConnections) throws Exception {
        int port = FreePorts.next();
        Path journal = dir.resolve("journal");
        Map<String, String> ids = new HashMap<>();
        MxSink downSink = null;
        MxSink deadSink = null;
        try (TestDnsServer dns = TestDnsServer.start("test")) {
            dns.mx("down.test", 10, "mx.down.test").a("mx.down.test", "127.0.0.2")
                    .mx("dead.test", 10, "mx.dead.test").a("mx.dead.test", "127.0.0.3");
            RefusingMx refusing = RefusingMx.start("127.0.0.3", port);
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).delivery("mx_port: " + port
                    + "\nallow_private_mx: true\nmax_connections_per_site: " + maxConnections
                    + "\nretry:\n  first: " + RETRY_FIRST_MS + "ms\n  max: 1s")
                    .queue("dead_site_first_probe: " + FIRST_PROBE_MS + "ms").start()) {
                try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
                    for (int i = 0; i < PER_SITE; i++) {
                        ids.put("down" + i + "@client.test", s.submit("down" + i + "@client.test",
                                "user" + i + "@down.test"));
                        ids.put("dead" + i + "@client.test", s.submit("dead" + i + "@client.test",
                                "user" + i + "@dead.test"));
                    }
                }
                // Both sites dead, nothing in flight any more (a try started before a death has come back), and
                // the journal holds every deferral the scheduler decided: only then are the counts final.
                await().atMost(Duration.ofSeconds(FIRST_PROBE_MS / 2_000)).pollInterval(Duration.ofMillis(50))
                        .until(() -> settledWhileDead(daemon, journal));
                int knocks = refusing.connections();
                int failedTries = JournalStates.deferredAttempts(journal);
                long diedAt = refusing.lastAcceptMillis();
                // The failures that kill it, plus what was still in flight when the last of them came back.
                assertThat(knocks).as("connections to the 421 site until it was dead")
                        .isBetween(FAILURES_TO_DIE, FAILURES_TO_DIE + maxConnections - 1);
                assertThat(failedTries).as("failed tries recorded for both sites")
                        .isBetween(2 * FAILURES_TO_DIE, 2 * (FAILURES_TO_DIE + maxConnections - 1));

                // Retries come due every 160-1200 ms for 60 messages: a live site would be tried ~200 times in the
                // 4 s that follow. Dead, it must not be tried once before its probe is due.
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            assertThat(refusing.connections()).as("connections while dead (no probe due yet)")
                                    .isEqualTo(knocks);
                            assertThat(JournalStates.deferredAttempts(journal)).as("failed tries while dead")
                                    .isEqualTo(failedTries);
                        });
                assertThat(JournalStates.read(journal).values()).as("held, not given up").hasSize(2 * PER_SITE)
                        .allMatch(s -> s.equals("pending") || s.equals("deferred"));

                refusing.close();
                downSink = MxSink.start("127.0.0.2", port);
                deadSink = MxSink.start("127.0.0.3", port);
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                            .until(() -> JournalStates.count(journal, "delivered") == 2 * PER_SITE);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("not all delivered; down sink " + downSink.messages().size()
                            + " msgs/" + downSink.sessions() + " sessions, dead sink " + deadSink.messages().size()
                            + " msgs/" + deadSink.sessions() + " sessions; journal:\n" + JournalStates.dump(journal),
                            e);
                }
                // A duplicate would be a delivery after the journal's last OUTCOME: none may arrive in the next 300 ms.
                MxSink down = downSink;
                MxSink dead = deadSink;
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                        .until(() -> down.messages().size() + dead.messages().size() == 2 * PER_SITE);
                long firstAtDead = deadSink.messages().stream().mapToLong(MxSink.Received::atMillis).min()
                        .orElseThrow();
                // The last failed connection is at or just after the death (a straggler), hence the 1 s slack.
                assertThat(firstAtDead - diedAt).as("ms from the last failed connection to the first delivery")
                        .isBetween(FIRST_PROBE_MS - TICK_MS - 1_000, FIRST_PROBE_MS + 10_000);
            }
            assertDeliveredOnce(downSink, "down", ids);
            assertDeliveredOnce(deadSink, "dead", ids);
        } finally {
            if (downSink != null) {
                downSink.close();
            }
            if (deadSink != null) {
                deadSink.close();
            }
        }
    }

    /**
     * True once both sites are dead, no try is in flight, and the journal's deferral count equals the deferrals the
     * scheduler reported in {@code sluice_deliveries_total}: the journal has caught up with the last failure.
     */
    private static boolean settledWhileDead(TestDaemon daemon, Path journal) throws Exception {
        Map<String, PrometheusText.Family> metrics = PrometheusText.scrape(daemon.adminPort());
        double dead = PrometheusText.value(metrics, "sluice_dead_sites", "sluice_dead_sites", Map.of());
        double inFlight = PrometheusText.value(metrics, "sluice_queue_in_flight_recipients",
                "sluice_queue_in_flight_recipients", Map.of());
        double deferred = PrometheusText.deliveries(metrics, "deferred");
        return dead == 2 && inFlight == 0 && JournalStates.deferredAttempts(journal) == (int) deferred;
    }

    private void assertDeliveredOnce(MxSink sink, String prefix, Map<String, String> ids) throws Exception {
        Map<String, Stored> stored = new HashMap<>();
        for (Stored s : StoredMessages.read(dir.resolve("journal"))) {
            stored.put(s.id(), s);
        }
        assertThat(sink.countsByMessageId()).as("deliveries per Message-ID at " + prefix).hasSize(PER_SITE)
                .allSatisfy((id, n) -> {
                    assertThat(id).startsWith(prefix);
                    assertThat(n).as(id).isEqualTo(1);
                });
        for (MxSink.Received r : sink.messages()) {
            assertThat(r.bytes()).as("exact bytes of " + r.messageId())
                    .isEqualTo(stored.get(ids.get(r.messageId())).bytes());
        }
    }
}
