package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.SteeringCommand.Action;
import io.sluice.scheduler.SteeringCommand.Target;
import io.sluice.scheduler.TaskResult.SiteSignal;
import io.sluice.shaping.AdaptiveConcurrency;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One destination never starves the others (docs/architecture.md "Back-pressure and fairness"), driven on the test
 * thread against a real journal and a real resolver: slow sites (tasks out, no result) cannot take every global slot, a
 * site that waited for a global slot goes as soon as any slot frees, a site's concurrency is earned, flush reaches
 * ready mail, and {@code max_age} reaches a ready queue that stands still.
 */
class SchedulerFairnessTest {
    /** The global cap in these tests: 6 slots for sites not known healthy, 2 kept for healthy ones. */
    private static final int MAX_IN_FLIGHT = 8;

    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void start(int perSite) throws Exception {
        f = new SchedulerFixture(dir, new SchedulerOptions(100, perSite, 1024, MAX_IN_FLIGHT, 64, 60_000, 2, 60_000,
                600_000));
        f.dns.mx("healthy.test", 10, "mx.healthy.test").a("mx.healthy.test", "127.0.0.2");
        for (int i = 0; i < 12; i++) {
            f.dns.mx("tarpit" + i + ".test", 10, "mx.tarpit" + i + ".test")
                    .a("mx.tarpit" + i + ".test", "127.0.1." + (i + 1));
        }
        f.start();
    }

    /** One message to the healthy site, delivered: the site is known healthy from then on. */
    private void makeHealthy() {
        f.accept(1, "first@healthy.test");
        f.runUntil("first dispatched", () -> f.dispatched.size() == 1);
        f.delivered(f.dispatched.get(0));
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
    }

    private long tarpitTasksOut() {
        return f.dispatched.stream().filter(t -> t.domain().startsWith("tarpit")).count();
    }

    @Test
    void shouldKeepAShareOfGlobalSlotsForHealthySitesWhateverSlowSitesHold() throws Exception {
        start(10);
        makeHealthy();
        for (int i = 0; i < 12; i++) {
            f.accept(100 + i, "r@tarpit" + i + ".test");
        }
        f.runUntil("slow sites hold their share", () -> tarpitTasksOut() == DispatchRing.untrustedCap(MAX_IN_FLIGHT));
        f.settle();
        assertThat(tarpitTasksOut()).as("6 of 8 slots, never all").isEqualTo(6);

        f.accept(2, "second@healthy.test");
        f.runUntil("the healthy site is not held up", () -> f.dispatched.stream()
                .anyMatch(t -> t.domain().equals("healthy.test") && t.messageId() == 2));
    }

    @Test
    void shouldLetASiteThatWaitedForAGlobalSlotGoAsSoonAsAnySlotFrees() throws Exception {
        start(10);
        makeHealthy();
        f.accept(2, "a@healthy.test");
        f.accept(3, "b@healthy.test");
        f.runUntil("two healthy tasks out", () -> f.dispatched.size() == 3);
        for (int i = 0; i < 6; i++) {
            f.accept(100 + i, "r@tarpit" + i + ".test");
        }
        f.runUntil("every global slot taken", () -> f.scheduler.counters().inFlightRecipients() == MAX_IN_FLIGHT);
        f.accept(4, "c@healthy.test"); // ready, but no global slot
        f.settle();
        assertThat(f.dispatched).hasSize(3 + 6);

        DeliveryTask slow = f.dispatched.stream().filter(t -> t.domain().equals("tarpit0.test")).findFirst()
                .orElseThrow();
        f.report(slow, SiteSignal.CONNECT_FAILED, RecipientResult.temporary(0, "greeting timeout"));
        f.runUntil("the waiting site goes with the first freed slot, not its own result",
                () -> f.dispatched.stream().anyMatch(t -> t.messageId() == 4));
    }

    @Test
    void shouldEarnASitesConcurrencyWithSuccessesAndHalveItOnFailures() throws Exception {
        start(10);
        for (int i = 1; i <= 10; i++) {
            f.accept(i, "r" + i + "@healthy.test");
        }
        f.runUntil("a new site gets the initial window",
                () -> f.dispatched.size() == AdaptiveConcurrency.INITIAL);
        f.settle();
        assertThat(f.dispatched).hasSize(AdaptiveConcurrency.INITIAL);

        f.delivered(f.dispatched.get(0));
        f.runUntil("one success: the slot back and one more", () -> f.dispatched.size() == 7);
        f.settle();
        assertThat(f.dispatched).hasSize(7);

        List<DeliveryTask> out = List.copyOf(f.dispatched.subList(1, 7)); // 6 in flight, window 6
        f.report(out.get(0), SiteSignal.CONNECT_FAILED, RecipientResult.temporary(0, "refused"));
        f.settle();
        assertThat(f.dispatched).as("window halved to 3 with 5 still out: nothing new").hasSize(7);
        for (int i = 1; i < 4; i++) {
            f.delivered(out.get(i));
        }
        f.runUntil("successes widen it again", () -> f.dispatched.size() > 7);
    }

    @Test
    void shouldNarrowASitesWindowByOneForEachTransactionItDeferredWhole() throws Exception {
        start(10);
        for (int i = 1; i <= 12; i++) {
            f.accept(i, "r" + i + "@healthy.test");
        }
        f.runUntil("the initial window", () -> f.dispatched.size() == AdaptiveConcurrency.INITIAL);
        List<DeliveryTask> first = List.copyOf(f.dispatched);

        // two transactions deferred by the site itself ("try later"): window 5 -> 3, with 3 still out
        f.report(first.get(0), SiteSignal.CONNECTED, RecipientResult.temporary(421, "4.7.0 Try again later"));
        f.report(first.get(1), SiteSignal.CONNECTED, RecipientResult.temporary(451, "4.3.0 busy"));
        f.settle();
        assertThat(f.dispatched).as("window 3 with 3 out: nothing new").hasSize(AdaptiveConcurrency.INITIAL);

        // a deferral that Sluice made up (the session broke, no reply from the site) is not the site saying "busy":
        // it counts as the connection it was (window 4 with 2 out: two more)
        f.report(first.get(2), SiteSignal.CONNECTED, RecipientResult.temporary(451, null,
                "lost connection in DATA", true));
        f.runUntil("two more", () -> f.dispatched.size() == 7);
        f.settle();
        assertThat(f.dispatched).hasSize(7);

        f.delivered(first.get(3));
        f.runUntil("a success widens it to 5 with 3 out: two more", () -> f.dispatched.size() == 9);
        f.settle();
        assertThat(f.dispatched).hasSize(9);
    }

    @Test
    void shouldFlushReadyMailAndCountIt() throws Exception {
        start(10);
        for (int i = 1; i <= 7; i++) {
            f.accept(i, "r" + i + "@healthy.test");
        }
        f.runUntil("window full, two ready", () -> f.scheduler.counters().readyRecipients() == 2);
        CompletableFuture<SteeringResult> answer = f.scheduler.steer(SteeringCommand.of(Action.FLUSH,
                Target.domain("healthy.test")));
        f.runUntil("flushed", answer::isDone);
        assertThat(answer.join().recipients()).as("ready mail is part of what a flush reaches").isEqualTo(2);
    }

    @Test
    void shouldFlushADomainsReadyMailAlongWithItsDeferredMail() throws Exception {
        start(10);
        for (int i = 1; i <= 8; i++) {
            f.accept(i, "r" + i + "@healthy.test");
        }
        f.runUntil("window full, three ready", () -> f.scheduler.counters().readyRecipients() == 3);
        // the site deferred a transaction (451): window 5 -> 4 with 4 out, so the three stay ready
        f.report(f.dispatched.get(0), SiteSignal.CONNECTED, RecipientResult.temporary(451, "later"));
        f.runUntil("one deferred, three ready", () -> f.scheduler.counters().scheduledRecipients() == 1
                && f.scheduler.counters().readyRecipients() == 3);
        CompletableFuture<SteeringResult> answer = f.scheduler.steer(SteeringCommand.of(Action.FLUSH,
                Target.domain("healthy.test")));
        f.runUntil("flushed", answer::isDone);
        assertThat(answer.join().recipients()).as("the deferred one and the ready ones").isEqualTo(4);
    }

    @Test
    void shouldExpireMailWaitingInAReadyQueueThatStandsStill() throws Exception {
        start(10);
        CompletableFuture<SteeringResult> suspended = f.scheduler.steer(SteeringCommand.of(Action.SUSPEND,
                Target.site("mx.healthy.test")));
        f.runUntil("suspended", suspended::isDone);
        f.accept(1, "old@healthy.test");
        f.runUntil("ready at the suspended site", () -> f.scheduler.counters().readyRecipients() == 1);

        f.advance(SchedulerFixture.MAX_AGE + 1);
        f.runUntil("expired without the site moving", () -> f.failures.size() == 1);
        assertThat(f.failures.get(0)).contains("/expired/");
        assertThat(f.dispatched).isEmpty();
        assertThat(f.scheduler.counters().readyRecipients()).isZero();
    }
}
