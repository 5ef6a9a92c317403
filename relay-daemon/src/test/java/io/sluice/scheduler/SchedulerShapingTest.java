package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.shaping.PathPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path policy's limits at dispatch ({@link PathGate}), on the test thread with a settable clock against a real
 * journal and resolver: a provider's per-source cap holds over all its sites, a message rate spaces deliveries
 * evenly, and a reload that lowers a cap lets no new delivery start above it.
 */
class SchedulerShapingTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private PathPolicy policy(String shaping) throws Exception {
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("shaping.yaml"), shaping);
        Files.writeString(conf.resolve("sluice.yaml"), "shaping:\n  file: shaping.yaml\n");
        Settings s = SettingsLoader.load(conf.resolve("sluice.yaml"));
        return PathPolicy.from(s.delivery(), s.shaping());
    }

    private void start() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        for (int i = 1; i <= 4; i++) { // four sites of one provider: each domain its own MX host set
            f.dns.mx("d" + i + ".test", 10, "mx" + i + ".bigmail.test").a("mx" + i + ".bigmail.test", "127.0.0." + i);
        }
        f.dns.mx("paced.test", 10, "mx.paced.test").a("mx.paced.test", "127.0.0.9");
        f.start();
    }

    private long inFlight() {
        return f.scheduler.counters().inFlightRecipients();
    }

    @Test
    void shouldHoldAProvidersPerSourceCapOverAllItsSites() throws Exception {
        start();
        f.scheduler.changePathPolicy(policy("""
                default: {connections: 10}
                providers:
                  - name: bigmail
                    mx_suffixes: [.bigmail.test]
                    per_source: {connections: 3}
                """));
        for (int i = 0; i < 24; i++) {
            f.accept(i + 1, "r@d" + (i % 4 + 1) + ".test");
        }
        f.runUntil("the cap is reached", () -> f.dispatched.size() == 3);
        f.settle();
        assertThat(f.dispatched).as("3 over four sites, though each site alone may have 10").hasSize(3);

        for (int done = 0; done < 21; done++) { // each finished delivery lets exactly one more start
            f.delivered(f.dispatched.get(done));
            int expected = done + 4;
            f.runUntil("one more after a delivery", () -> f.dispatched.size() == expected);
            f.settle();
            assertThat(f.dispatched).hasSize(expected);
            assertThat(inFlight()).isLessThanOrEqualTo(3);
        }
        assertThat(f.domainsDispatched()).contains("d1.test", "d2.test", "d3.test", "d4.test");
    }

    @Test
    void shouldSpaceDeliveriesEvenlyAtTheMessageRate() throws Exception {
        start();
        f.scheduler.changePathPolicy(policy("default: {message_rate: 10/s}\n"));
        for (int i = 0; i < 40; i++) {
            f.accept(i + 1, "r@paced.test");
        }
        f.runUntil("the first goes at once", () -> f.dispatched.size() == 1);
        f.delivered(f.dispatched.get(0));
        f.settle();
        assertThat(f.dispatched).as("the next is 100 ms later (5 ms of catch-up allowed), not now").hasSize(1);
        f.advance(94);
        f.settle();
        assertThat(f.dispatched).hasSize(1);
        f.advance(6);
        f.runUntil("the second by 100 ms", () -> f.dispatched.size() == 2);

        int before = f.dispatched.size();
        for (int ms = 0; ms < 2_000; ms += 5) { // two seconds in 5 ms steps, every delivery done at once
            f.advance(5);
            f.settle();
            for (int i = 0; i < f.dispatched.size(); i++) {
                if (!delivered.contains(i) && i > 0) {
                    delivered.add(i);
                    f.delivered(f.dispatched.get(i));
                }
            }
        }
        assertThat(f.dispatched.size() - before).as("10/s over 2 s").isBetween(19, 21);
    }

    private final java.util.Set<Integer> delivered = new java.util.HashSet<>();

    @Test
    void shouldSplitAMessageIntoTransactionsOfRecipientsPerTransaction() throws Exception {
        start();
        f.scheduler.changePathPolicy(policy("default: {recipients_per_transaction: 2}\n"));
        f.accept(1, "a@paced.test", "b@paced.test", "c@paced.test", "d@paced.test", "e@paced.test");
        f.runUntil("three transactions", () -> f.dispatched.size() == 3);
        f.settle();
        assertThat(f.dispatched).extracting(DeliveryTask::recipientCount).containsExactly(2, 2, 1);
        for (DeliveryTask t : f.dispatched) {
            f.delivered(t);
        }
        f.runUntil("five outcomes", () -> f.journalled.size() == 5);
        assertThat(f.journalled).as("every recipient delivered once").hasSize(5)
                .allMatch(j -> j.endsWith("/delivered"));
    }

    @Test
    void shouldStartNoDeliveryAboveALoweredCapAfterAReload() throws Exception {
        start();
        String shaping = """
                providers:
                  - name: bigmail
                    mx_suffixes: [.bigmail.test]
                    per_source: {connections: %d}
                """;
        f.scheduler.changePathPolicy(policy(shaping.formatted(4)));
        for (int i = 0; i < 12; i++) {
            f.accept(i + 1, "r@d" + (i % 4 + 1) + ".test");
        }
        f.runUntil("four out", () -> f.dispatched.size() == 4);
        f.scheduler.changePathPolicy(policy(shaping.formatted(2)));
        f.settle();
        f.delivered(f.dispatched.get(0));
        f.delivered(f.dispatched.get(1));
        f.settle();
        assertThat(f.dispatched).as("two still in flight: the lower cap of 2 is reached").hasSize(4);
        f.delivered(f.dispatched.get(2));
        f.runUntil("one more once below the cap", () -> f.dispatched.size() == 5);
        f.settle();
        assertThat(f.dispatched).hasSize(5);
    }

    private static final String RULES = """
            providers:
              - name: bigmail
                mx_suffixes: [.bigmail.test]
                per_source: {connections: 1}
                automation:
                  - match: '4\\.7\\.28'
                    trigger: immediate
                    action: {suspend: 10s}
                  - match: 'too busy'
                    trigger: 3/1m
                    action: {message_rate: 1/min, for: 1m}
            """;

    /** A 4xx result whose reply matched {@code rule} (the delivery stage matches; here the test says so). */
    private void deferredWithRule(DeliveryTask task, io.sluice.config.ShapingSettings.AutomationRule rule,
                                  String reply) {
        RecipientResult r = RecipientResult.temporary(421, "4.7.28", reply, false);
        assertThat(f.scheduler.offerResult(new TaskResult(task.taskId(), TaskResult.SiteSignal.CONNECTED,
                java.util.List.of(r), "mx1.bigmail.test", "default", null,
                new TaskResult.Fired(rule, "421 4.7.28 " + reply)))).isTrue();
    }

    @Test
    void shouldSuspendAProvidersPathWithinOneReplyAndResumeByItselfWhenTheActionEnds() throws Exception {
        start();
        PathPolicy p = policy(RULES);
        f.scheduler.changePathPolicy(p);
        for (int i = 0; i < 8; i++) {
            f.accept(i + 1, "r@d" + (i % 4 + 1) + ".test");
        }
        f.runUntil("the first goes", () -> f.dispatched.size() == 1);
        deferredWithRule(f.dispatched.get(0), p.provider("bigmail").rules().get(0), "unusual rate");
        f.settle();
        assertThat(f.dispatched).as("suspended after the one reply: nothing else starts").hasSize(1);
        assertThat(f.scheduler.shapingState().actions()).singleElement().satisfies(a -> {
            assertThat(a.target()).isEqualTo("provider bigmail");
            assertThat(a.describe()).isEqualTo("suspend");
            assertThat(a.untilMillis()).isEqualTo(f.clock.get() + 10_000);
        });
        assertThat(f.events).anyMatch(e -> e.type() == io.sluice.events.EventType.SHAPING
                && "applied".equals(e.action()) && e.text().contains("unusual rate"));

        f.advance(9_000);
        f.settle();
        assertThat(f.dispatched).as("still suspended at 9 s").hasSize(1);
        f.advance(1_300);
        f.runUntil("resumed by itself after 10 s", () -> f.dispatched.size() == 2);
        f.runUntil("the action is gone", () -> f.scheduler.shapingState().actions().isEmpty());
        assertThat(f.events).anyMatch(e -> e.type() == io.sluice.events.EventType.SHAPING
                && "expired".equals(e.action()));
    }

    @Test
    void shouldFireAThresholdRuleOnTheNthMatchingReplyNotBefore() throws Exception {
        start();
        PathPolicy p = policy(RULES);
        f.scheduler.changePathPolicy(p);
        for (int i = 0; i < 8; i++) {
            f.accept(i + 1, "r@d" + (i % 4 + 1) + ".test");
        }
        var busy = p.provider("bigmail").rules().get(1);
        for (int n = 1; n <= 3; n++) {
            int expected = n;
            f.runUntil("delivery " + n, () -> f.dispatched.size() == expected);
            deferredWithRule(f.dispatched.get(n - 1), busy, "too busy");
            f.settle();
            assertThat(f.scheduler.shapingState().actions()).as("after %d matching replies", n)
                    .hasSize(n < 3 ? 0 : 1);
        }
        assertThat(f.scheduler.shapingState().actions().get(0).describe()).isEqualTo("message_rate 1/min");
        f.settle();
        assertThat(f.dispatched).as("the cut rate's first delivery is a minute away, not at once").hasSize(3);
        f.advance(60_000);
        f.runUntil("the next one a minute later", () -> f.dispatched.size() == 4);
    }

    @Test
    void shouldLiftAnActionWhenAnOperatorResumesTheProvider() throws Exception {
        start();
        PathPolicy p = policy(RULES);
        f.scheduler.changePathPolicy(p);
        for (int i = 0; i < 4; i++) {
            f.accept(i + 1, "r@d" + (i % 4 + 1) + ".test");
        }
        f.runUntil("the first goes", () -> f.dispatched.size() == 1);
        deferredWithRule(f.dispatched.get(0), p.provider("bigmail").rules().get(0), "unusual rate");
        f.settle();
        var lifted = f.scheduler.resumeShaping("bigmail", null, null);
        f.runUntil("lifted", lifted::isDone);
        assertThat(lifted.get()).isEqualTo(1);
        f.runUntil("delivery goes on at once", () -> f.dispatched.size() == 2);
    }

    @Test
    void shouldKeepAnActionAcrossARestartFromItsStateFile() throws Exception {
        long now = SchedulerFixture.T0;
        ShapingState persisted = new ShapingState(java.util.List.of(new ShapingState.Entry("default",
                "provider bigmail", "bigmail", now - 1_000, now + 60_000, true, null, 0, "4\\.7\\.28",
                "421 4.7.28 unusual rate")));
        persisted.write(dir);
        ShapingState read = ShapingState.read(dir, now);
        assertThat(read).isEqualTo(persisted);
        assertThat(ShapingState.read(dir, now + 60_000).actions()).as("ended by then: dropped").isEmpty();

        start();
        f.scheduler.restoreShaping(read);
        f.scheduler.changePathPolicy(policy(RULES));
        f.accept(1, "r@d1.test");
        f.accept(2, "r@paced.test");
        f.runUntil("the site outside the provider goes", () -> f.dispatched.size() == 1);
        f.settle();
        assertThat(f.domainsDispatched()).as("bigmail is still suspended after the restart")
                .containsExactly("paced.test");
        f.advance(61_000);
        f.runUntil("bigmail resumes when the action ends", () -> f.dispatched.size() == 2);
    }
}
