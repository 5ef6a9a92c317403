package io.sluice.scheduler;

import static io.sluice.scheduler.SchedulerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.TaskResult.SiteSignal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler driven on the test thread against a real journal and a real resolver on a loopback DNS server:
 * site sharing, fairness, caps, retries, bounces, DNS failures and expiry, with the journal's records checked.
 */
class SchedulerTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private SchedulerFixture fixture(int perSite) throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(perSite));
        return f;
    }

    @Test
    void shouldGiveTwoDomainsAtTheSameMxOneSiteQueue() throws Exception {
        fixture(1);
        f.dns.mx("a.test", 10, "mx.shared.test").mx("b.test", 10, "mx.shared.test").a("mx.shared.test", "127.0.0.2");
        f.start();
        f.accept(1, "x@A.test");
        f.accept(2, "y@b.test");

        f.runUntil("one task dispatched, one ready",
                () -> f.dispatched.size() == 1 && f.scheduler.counters().readyRecipients() == 1);
        f.settle();
        assertThat(f.dispatched).hasSize(1).as("cap 1 holds the other domain at the same site");
        DeliveryTask first = f.dispatched.get(0);
        assertThat(first.domain()).as("whichever DNS answer came first").isIn("a.test", "b.test");
        assertThat(first.site().names()).containsExactly("mx.shared.test");
        assertThat(first.hosts()).extracting(h -> h.name()).containsExactly("mx.shared.test");
        assertThat(first.attempt(0)).isEqualTo(1);

        f.delivered(first);
        f.runUntil("second dispatched", () -> f.dispatched.size() == 2);
        assertThat(f.dispatched.get(1).site()).isEqualTo(first.site());
        assertThat(f.domainsDispatched()).containsExactlyInAnyOrder("a.test", "b.test");
        assertThat(f.dispatched).extracting(t -> t.recipients().get(0))
                .containsExactlyInAnyOrder("x@A.test", "y@b.test");
        f.delivered(f.dispatched.get(1));
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        f.awaitJournalled(2);
        assertThat(f.journalled).containsExactlyInAnyOrder("1/0/delivered", "2/0/delivered");
    }

    @Test
    void shouldTakeTurnsBetweenSitesSoABusySiteDoesNotStarveAnother() throws Exception {
        fixture(10);
        f.dns.mx("busy.test", 10, "mx.busy.test").a("mx.busy.test", "127.0.0.3");
        f.dns.mx("quiet.test", 10, "mx.quiet.test").a("mx.quiet.test", "127.0.0.4");
        f.start();
        f.accept(1, "a@busy.test");
        f.runUntil("busy site known", () -> f.dispatched.size() == 1);
        f.delivered(f.dispatched.get(0)); // the busy site is healthy: its window grows past the 5 waiting
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        f.refuseDispatch = true; // let work pile up in both ready queues
        for (int i = 2; i <= 6; i++) {
            f.accept(i, "r" + i + "@busy.test");
        }
        f.accept(7, "q@quiet.test");
        f.runUntil("all ready", () -> f.scheduler.counters().readyRecipients() == 6);
        f.refuseDispatch = false;
        f.scheduler.doWork();

        assertThat(f.domainsDispatched()).hasSize(7);
        assertThat(f.domainsDispatched().subList(1, 3)).as("one per site per turn").contains("quiet.test");
    }

    @Test
    void shouldKeepAtMostTheSiteCapInFlight() throws Exception {
        fixture(2);
        f.dns.mx("cap.test", 10, "mx.cap.test").a("mx.cap.test", "127.0.0.5");
        f.start();
        for (int i = 1; i <= 5; i++) {
            f.accept(i, "r@cap.test");
        }
        f.runUntil("two in flight, three ready",
                () -> f.scheduler.counters().readyRecipients() == 3 && f.dispatched.size() == 2);
        f.settle();
        assertThat(f.dispatched).hasSize(2);
        assertThat(f.scheduler.counters().inFlightRecipients()).isEqualTo(2);

        f.delivered(f.dispatched.get(0));
        f.runUntil("a freed slot is used", () -> f.dispatched.size() == 3);
        f.settle();
        assertThat(f.dispatched).hasSize(3);
        assertThat(f.scheduler.counters().inFlightRecipients()).isEqualTo(2);
    }

    @Test
    void shouldSplitAMessagesRecipientsPerDomain() throws Exception {
        fixture(10);
        f.dns.mx("one.test", 10, "mx.one.test").a("mx.one.test", "127.0.0.6");
        f.dns.mx("two.test", 10, "mx.two.test").a("mx.two.test", "127.0.0.7");
        f.start();
        f.accept(1, "a@one.test", "b@two.test", "c@ONE.test");
        f.runUntil("two tasks", () -> f.dispatched.size() == 2);
        DeliveryTask one = f.dispatched.stream().filter(t -> t.domain().equals("one.test")).findFirst().orElseThrow();
        assertThat(one.recipients()).containsExactly("a@one.test", "c@ONE.test");
        assertThat(one.recipientIndexes()).containsExactly(0, 2);
    }

    @Test
    void shouldDeferATemporaryFailureAndRetryAtThePolicyTime() throws Exception {
        fixture(10);
        f.dns.mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "127.0.0.8");
        f.start();
        f.accept(1, "a@slow.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.report(f.dispatched.get(0), SiteSignal.CONNECTED, RecipientResult.temporary(451, "4.7.1 greylisted"));
        f.runUntil("scheduled for retry", () -> f.scheduler.counters().scheduledRecipients() == 1);
        f.awaitJournalled(1);
        String[] deferred = f.journalled.get(0).split("/");
        assertThat(deferred).startsWith("1", "0", "deferred", "1");
        long due = Long.parseLong(deferred[4]);
        assertThat(due).isBetween(T0 + (long) (SchedulerFixture.FIRST_RETRY * 0.8),
                T0 + (long) (SchedulerFixture.FIRST_RETRY * 1.2));

        f.clock.set(due - 1);
        f.settle();
        assertThat(f.dispatched).as("not before the retry time").hasSize(1);
        f.clock.set(due);
        f.runUntil("retried", () -> f.dispatched.size() == 2);
        assertThat(f.dispatched.get(1).attempt(0)).isEqualTo(2);
        assertThat(f.dns.queries("slow.test", "MX")).as("looked up again, answered from the cache").isEqualTo(1);
    }

    @Test
    void shouldBounceAPermanentFailure() throws Exception {
        fixture(10);
        f.dns.mx("hard.test", 10, "mx.hard.test").a("mx.hard.test", "127.0.0.9");
        f.start();
        f.accept(1, "a@hard.test", "b@hard.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.report(f.dispatched.get(0), SiteSignal.CONNECTED, RecipientResult.delivered(),
                RecipientResult.permanent(550, "5.1.1", "no such user"));
        f.runUntil("done", () -> f.scheduler.counters().inFlightRecipients() == 0);
        f.awaitJournalled(2);
        assertThat(f.journalled).containsExactly("1/0/delivered", "1/1/bounced");
        assertThat(f.failures).containsExactly("1/1/b@hard.test/bounced/550/5.1.1");
    }

    @Test
    void shouldBounceEveryRecipientOfANonexistentDomain() throws Exception {
        fixture(10);
        f.start();
        f.accept(1, "a@missing.test", "b@missing.test");
        f.runUntil("bounced", () -> f.failures.size() == 2);
        f.awaitJournalled(2);
        assertThat(f.journalled).containsExactly("1/0/bounced", "1/1/bounced");
        assertThat(f.failures).containsExactly("1/0/a@missing.test/bounced/550/5.1.2",
                "1/1/b@missing.test/bounced/550/5.1.2");
        assertThat(f.dispatched).isEmpty();
    }

    @Test
    void shouldDeferRecipientsWhenDnsFailsTemporarily() throws Exception {
        fixture(10);
        f.dns.servfail("sf.test");
        f.start();
        f.accept(1, "a@sf.test");
        f.runUntil("deferred", () -> f.scheduler.counters().scheduledRecipients() == 1
                && f.scheduler.recorderBacklog() == 0
                && !f.journalled.isEmpty());
        assertThat(f.journalled.get(0)).startsWith("1/0/deferred/1/");
        assertThat(f.dispatched).isEmpty();

        f.dns.answerNormally("sf.test");
        f.dns.mx("sf.test", 10, "mx.sf.test").a("mx.sf.test", "127.0.0.10");
        f.clock.set(Long.parseLong(f.journalled.get(0).split("/")[4]));
        f.runUntil("retried after DNS recovered", () -> f.dispatched.size() == 1);
    }

    @Test
    void shouldNotAskAgainForAWhileAfterAResolverFailedFast() throws Exception {
        fixture(10);
        int closedPort;
        try (java.net.DatagramSocket probe =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // nothing listens there once closed: the lookup fails at once
        }
        f.resolverSpec = "127.0.0.1:" + closedPort;
        f.start();
        f.accept(1, "a@down.test");
        f.runUntil("first deferred", () -> f.journalled.size() == 1 && f.scheduler.recorderBacklog() == 0);
        long asked = f.resolver.counters().lookups();
        assertThat(asked).isPositive();

        for (int id = 2; id <= 5; id++) {
            f.clock.addAndGet((Scheduler.DNS_FAILURE_MEMORY_MILLIS - 1) / 4);
            f.accept(id, "r@down.test");
        }
        f.runUntil("all deferred", () -> f.journalled.size() == 5 && f.scheduler.recorderBacklog() == 0);
        assertThat(f.journalled).allMatch(line -> line.contains("/0/deferred/1/"));
        assertThat(f.resolver.counters().lookups()).as("within the failure's memory: not asked again")
            .isEqualTo(asked);

        f.clock.addAndGet(Scheduler.DNS_FAILURE_MEMORY_MILLIS);
        f.accept(6, "s@down.test");
        f.runUntil("sixth deferred", () -> f.journalled.size() == 6 && f.scheduler.recorderBacklog() == 0);
        assertThat(f.resolver.counters().lookups()).as("after the memory: asked again").isGreaterThan(asked);
    }

    @Test
    void anOperatorFlushAsksDnsAgainEvenWithinAFailuresMemory() throws Exception {
        fixture(10);
        int closedPort;
        try (java.net.DatagramSocket probe =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        f.resolverSpec = "127.0.0.1:" + closedPort;
        f.start();
        f.accept(1, "a@down.test");
        f.runUntil("deferred", () -> f.journalled.size() == 1 && f.scheduler.recorderBacklog() == 0);
        long asked = f.resolver.counters().lookups();

        var flushed = f.scheduler.steer(SteeringCommand.of(SteeringCommand.Action.FLUSH,
                SteeringCommand.Target.domain("down.test")));
        f.runUntil("flushed and deferred again", () -> flushed.isDone() && f.journalled.size() == 2
                && f.scheduler.recorderBacklog() == 0);
        assertThat(flushed.join().recipients()).isEqualTo(1);
        assertThat(f.resolver.counters().lookups()).as("flush: asked again at once").isGreaterThan(asked);
    }

    @Test
    void shouldExpireARecipientWhoseRetryComesDueAfterMaxAge() throws Exception {
        fixture(10);
        f.dns.mx("late.test", 10, "mx.late.test").a("mx.late.test", "127.0.0.11");
        f.start();
        f.accept(1, "a@late.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.clock.set(T0 + SchedulerFixture.MAX_AGE - 1000); // the retry interval is capped at the expiry
        f.reportVia(f.dispatched.get(0), "mx.late.test", "default",
                RecipientResult.temporary(421, "4.3.2", "4.3.2 busy", false));
        f.runUntil("scheduled", () -> f.scheduler.counters().scheduledRecipients() == 1);
        f.clock.set(T0 + SchedulerFixture.MAX_AGE);
        f.runUntil("expired", () -> f.failures.size() == 1);
        f.awaitJournalled(2);
        assertThat(f.journalled).containsExactly("1/0/deferred/1/" + (T0 + SchedulerFixture.MAX_AGE),
                "1/0/expired");
        assertThat(f.failures).as("the expiry carries the last reply, for the DSN")
                .containsExactly("1/0/a@late.test/expired/421/4.3.2");
        assertThat(f.givenUp.get(0).mxHost()).isEqualTo("mx.late.test");
        assertThat(f.givenUp.get(0).text()).isEqualTo("4.3.2 busy");
        assertThat(f.dispatched).hasSize(1);
    }

    @Test
    void shouldExpireATemporaryFailureThatComesBackAfterMaxAgeWithoutDeferring() throws Exception {
        fixture(10);
        f.dns.mx("slowback.test", 10, "mx.slowback.test").a("mx.slowback.test", "127.0.0.15");
        f.start();
        f.accept(1, "a@slowback.test", "b@slowback.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.clock.set(T0 + SchedulerFixture.MAX_AGE); // max_age passes while the task is in flight
        f.report(f.dispatched.get(0), SiteSignal.CONNECTED, RecipientResult.delivered(),
                RecipientResult.temporary(421, "busy"));
        f.runUntil("expired", () -> f.failures.size() == 1);
        f.awaitJournalled(2);
        f.settle();
        assertThat(f.journalled).containsExactly("1/0/delivered", "1/1/expired");
        assertThat(f.failures).containsExactly("1/1/b@slowback.test/expired/421/null");
        assertThat(f.givenUp.get(0).text()).isEqualTo("busy");
        assertThat(f.scheduler.counters().scheduledRecipients()).isZero();
    }

    @Test
    void shouldNameNoMxHostForAFailureSluiceDecidedItself() throws Exception {
        fixture(10);
        f.dns.mx("small.test", 10, "mx.small.test").a("mx.small.test", "127.0.0.16");
        f.start();
        f.accept(1, "a@small.test", "b@small.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.reportVia(f.dispatched.get(0), "mx.small.test", "default",
                RecipientResult.permanent(552, "5.3.4", "5.3.4 message size 9 exceeds size limit 1", true),
                RecipientResult.permanent(550, "5.1.1", "5.1.1 no such user"));
        f.runUntil("bounced", () -> f.givenUp.size() == 2);
        assertThat(f.givenUp.get(0).mxHost()).as("SIZE refused by Sluice, not said by the MX").isNull();
        assertThat(f.givenUp.get(1).mxHost()).isEqualTo("mx.small.test");
    }

    @Test
    void shouldHoldADeadSitesQueueAndProbeWithOneTask() throws Exception {
        fixture(10);
        f.dns.mx("dead.test", 10, "mx.dead.test").a("mx.dead.test", "127.0.0.12");
        f.start();
        f.accept(1, "a@dead.test");
        f.accept(2, "b@dead.test");
        f.runUntil("two dispatched", () -> f.dispatched.size() == 2);
        f.report(f.dispatched.get(0), SiteSignal.CONNECT_FAILED, RecipientResult.temporary(0, "refused"));
        f.report(f.dispatched.get(1), SiteSignal.CONNECT_FAILED, RecipientResult.temporary(0, "refused"));
        f.runUntil("site dead", () -> f.scheduler.counters().deadSites() == 1);
        for (int i = 3; i <= 5; i++) {
            f.accept(i, "r@dead.test");
        }
        f.runUntil("held in the ready queue", () -> f.scheduler.counters().readyRecipients() == 3);
        f.settle();
        assertThat(f.dispatched).as("held while dead").hasSize(2);

        f.advance(60_000); // first probe interval; retries of 1 and 2 are not due before 240 s
        f.runUntil("one probe", () -> f.dispatched.size() == 3);
        f.settle();
        assertThat(f.dispatched).hasSize(3);
        assertThat(f.dispatched.get(2).probe()).isTrue();

        f.delivered(f.dispatched.get(2));
        f.runUntil("alive again, one connection first", () -> f.dispatched.size() == 4);
        f.settle();
        assertThat(f.dispatched).as("a revived site reopens gradually: window 1").hasSize(4);
        assertThat(f.scheduler.counters().deadSites()).isZero();
        f.delivered(f.dispatched.get(3));
        f.runUntil("then the rest", () -> f.dispatched.size() == 5);
        assertThat(f.dispatched.get(4).probe()).isFalse();
    }
}
