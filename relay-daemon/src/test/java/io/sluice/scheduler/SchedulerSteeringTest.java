package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.scheduler.SteeringCommand.Action;
import io.sluice.scheduler.SteeringCommand.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator commands on the scheduler ({@link Scheduler#steer}, {@link QueueSteering}), driven on the test thread
 * against a real journal and a real resolver: what each command parks, releases, makes due or gives up, the counts
 * it answers, the held/suspended gauges, and a bounce given up in chunks across cycles.
 */
class SchedulerSteeringTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private SteeringResult steer(SteeringCommand c) {
        CompletableFuture<SteeringResult> answer = f.scheduler.steer(c);
        f.runUntil("command applied", answer::isDone);
        return answer.join();
    }

    private void start() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        f.dns.mx("s.test", 10, "mx.s.test").a("mx.s.test", "127.0.0.2");
        f.dns.mx("other.test", 10, "mx.other.test").a("mx.other.test", "127.0.0.3");
        f.start();
    }

    @Test
    void shouldParkASuspendedDomainsMailAndDispatchItOnResume() throws Exception {
        start();
        assertThat(steer(SteeringCommand.of(Action.SUSPEND, Target.domain("S.test"))).recipients()).isZero();
        f.accept(1, "a@s.test", "b@s.test");
        f.accept(2, "c@other.test");
        f.runUntil("other domain dispatched", () -> f.dispatched.size() == 1);
        f.settle();
        assertThat(f.domainsDispatched()).containsExactly("other.test");
        assertThat(f.scheduler.counters().suspendedRecipients()).isEqualTo(2);

        SteeringResult resumed = steer(SteeringCommand.of(Action.RESUME, Target.domain("s.test")));
        assertThat(resumed.recipients()).isEqualTo(2);
        assertThat(resumed.state().suspendedDomains()).isEmpty();
        f.runUntil("suspended domain dispatched", () -> f.dispatched.size() == 2);
        assertThat(f.dispatched.get(1).recipients()).containsExactly("a@s.test", "b@s.test");
        assertThat(f.scheduler.counters().suspendedRecipients()).isZero();
    }

    @Test
    void shouldParkReadyMailWhenItsDomainIsSuspendedLater() throws Exception {
        start();
        f.refuseDispatch = true;
        f.accept(1, "a@s.test");
        f.runUntil("ready", () -> f.scheduler.counters().readyRecipients() == 1);
        SteeringResult suspended = steer(SteeringCommand.of(Action.SUSPEND, Target.domain("s.test")));
        assertThat(suspended.recipients()).isEqualTo(1);
        assertThat(suspended.state().suspendedDomains()).containsEntry("s.test", 0L);
        f.refuseDispatch = false;
        f.settle();
        assertThat(f.dispatched).isEmpty();
        assertThat(f.scheduler.counters().readyRecipients()).isZero();
        assertThat(f.scheduler.counters().suspendedRecipients()).isEqualTo(1);
    }

    @Test
    void shouldEndATimedSuspensionByItself() throws Exception {
        start();
        steer(new SteeringCommand(Action.SUSPEND, Target.domain("s.test"), f.clock.get() + 60_000, null, false));
        f.accept(1, "a@s.test");
        f.settle();
        assertThat(f.dispatched).isEmpty();
        f.advance(60_000);
        f.runUntil("dispatched after the suspension ended", () -> f.dispatched.size() == 1);
    }

    @Test
    void shouldHoldASuspendedSitesQueueInPlaceUntilResumed() throws Exception {
        start();
        steer(SteeringCommand.of(Action.SUSPEND, Target.site("mx.s.test")));
        f.accept(1, "a@s.test");
        f.runUntil("ready at the suspended site", () -> f.scheduler.counters().readyRecipients() == 1);
        f.settle();
        assertThat(f.dispatched).isEmpty();
        assertThat(f.scheduler.counters().suspendedRecipients()).isEqualTo(1);
        assertThat(steer(SteeringCommand.of(Action.RESUME, Target.site("mx.s.test"))).recipients()).isEqualTo(1);
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
    }

    @Test
    void shouldSuspendAndResumeEverySourcesQueueAtASite() throws Exception {
        start();
        f.scheduler.changeEgress(io.sluice.routing.Router.compile(new io.sluice.config.EgressSettings(
                List.of(new io.sluice.config.SourceSettings("one", null, "one.relay.test", false),
                        new io.sluice.config.SourceSettings("two", null, "two.relay.test", false)),
                List.of(new io.sluice.config.PoolSettings("default", List.of(
                        new io.sluice.config.PoolSettings.Member("one", 1),
                        new io.sluice.config.PoolSettings.Member("two", 1)))),
                List.of(),
                List.of(new io.sluice.config.RouteSettings("default", null, "default", "default", List.of())),
                List.of(new io.sluice.config.LaneSettings("default", 1)), List.of())), java.util.Set.of());
        steer(SteeringCommand.of(Action.SUSPEND, Target.site("mx.s.test")));
        for (int i = 1; i <= 4; i++) {
            f.accept(i, "r" + i + "@s.test");
        }
        f.runUntil("ready at the suspended site", () -> f.scheduler.counters().readyRecipients() == 4);
        f.settle();
        assertThat(f.dispatched).isEmpty();
        assertThat(steer(SteeringCommand.of(Action.RESUME, Target.site("mx.s.test"))).recipients())
                .as("both sources' queues").isEqualTo(4);
        f.runUntil("all dispatched", () -> f.dispatched.size() == 4);
        assertThat(f.dispatched).extracting(DeliveryTask::source).containsOnly("one", "two")
                .contains("one", "two");
    }

    @Test
    void shouldFlushDeferredMailWithoutWaitingForItsRetry() throws Exception {
        start();
        f.accept(1, "a@s.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.report(f.dispatched.get(0), TaskResult.SiteSignal.CONNECTED, RecipientResult.temporary(451, "later"));
        f.runUntil("deferred", () -> f.scheduler.counters().scheduledRecipients() == 1);
        f.settle();
        assertThat(f.dispatched).hasSize(1);

        assertThat(steer(SteeringCommand.of(Action.FLUSH, Target.domain("other.test"))).recipients()).isZero();
        assertThat(steer(SteeringCommand.of(Action.FLUSH, Target.all())).recipients()).isEqualTo(1);
        f.runUntil("tried again at once", () -> f.dispatched.size() == 2);
        assertThat(f.dispatched.get(1).attempt(0)).isEqualTo(2);
    }

    @Test
    void shouldHoldOneMessageAndReleaseIt() throws Exception {
        start();
        long held = 7;
        assertThat(steer(SteeringCommand.of(Action.HOLD, Target.message(held))).state().heldMessages())
                .containsExactly(held);
        f.accept(held, "a@s.test");
        f.accept(8, "b@s.test");
        f.runUntil("the other dispatched", () -> f.dispatched.size() == 1);
        f.settle();
        assertThat(f.dispatched.get(0).messageId()).isEqualTo(8);
        assertThat(f.scheduler.counters().heldRecipients()).isEqualTo(1);

        SteeringResult released = steer(SteeringCommand.of(Action.RELEASE, Target.message(held)));
        assertThat(released.recipients()).isEqualTo(1);
        assertThat(released.state().heldMessages()).isEmpty();
        f.runUntil("held one dispatched", () -> f.dispatched.size() == 2);
        assertThat(f.dispatched.get(1).messageId()).isEqualTo(held);
        assertThat(f.scheduler.counters().heldRecipients()).isZero();
    }

    @Test
    void shouldBounceInChunksSoOneCycleNeverGivesUpMoreThanAChunk() throws Exception {
        start();
        steer(SteeringCommand.of(Action.HOLD, Target.domain("s.test")));
        String[] rcpts = new String[100];
        for (int m = 1; m <= 25; m++) {
            for (int i = 0; i < rcpts.length; i++) {
                rcpts[i] = "m" + m + "r" + i + "@s.test";
            }
            f.accept(m, rcpts);
        }
        f.runUntil("all held", () -> f.scheduler.counters().heldRecipients() == 2_500);

        SteeringResult dry = steer(new SteeringCommand(Action.BOUNCE, Target.domain("s.test"), 0, "test", true));
        assertThat(dry.recipients()).isEqualTo(2_500);
        f.settle();
        assertThat(f.failures).isEmpty();

        CompletableFuture<SteeringResult> answer = f.scheduler.steer(
                new SteeringCommand(Action.BOUNCE, Target.domain("s.test"), 0, "closed account", false));
        f.scheduler.doWork(); // applies the command and gives up the first chunk
        assertThat(answer.join().recipients()).isEqualTo(2_500);
        assertThat(f.failures).hasSize(QueueSteering.BOUNCE_CHUNK_RECIPIENTS);
        f.scheduler.doWork();
        assertThat(f.failures).hasSize(2 * QueueSteering.BOUNCE_CHUNK_RECIPIENTS);
        f.scheduler.doWork();
        assertThat(f.failures).hasSize(2_500);
        assertThat(f.failures).allMatch(s -> s.endsWith("/bounced/0/5.0.0"));
        assertThat(f.scheduler.counters().heldRecipients()).isZero();
        assertThat(f.dispatched).isEmpty();
        f.awaitJournalled(2_500);
        assertThat(f.journalled).allMatch(s -> s.endsWith("/bounced"));
    }

    @Test
    void shouldExpireSuspendedMailAtMaxAgeButKeepHeldMailUntilReleased() throws Exception {
        start();
        steer(SteeringCommand.of(Action.SUSPEND, Target.domain("s.test")));
        steer(SteeringCommand.of(Action.HOLD, Target.domain("other.test")));
        f.accept(1, "a@s.test");
        f.accept(2, "b@other.test");
        f.settle();
        f.advance(SchedulerFixture.MAX_AGE);
        f.runUntil("suspended one expired", () -> f.failures.size() == 1);
        f.settle();
        assertThat(f.failures).containsExactly("1/0/a@s.test/expired/0/4.4.7");
        assertThat(f.scheduler.counters().suspendedRecipients()).isZero();
        assertThat(f.scheduler.counters().heldRecipients()).as("a hold keeps mail past max_age").isEqualTo(1);

        assertThat(steer(SteeringCommand.of(Action.RELEASE, Target.domain("other.test"))).recipients()).isEqualTo(1);
        f.runUntil("released one expired at once", () -> f.failures.size() == 2);
        assertThat(f.failures.get(1)).isEqualTo("2/0/b@other.test/expired/0/4.4.7");
        assertThat(f.dispatched).isEmpty();
    }

    @Test
    void shouldRefuseCommandsThatDoNotApplyToTheirTarget() {
        assertThatThrownBy(() -> SteeringCommand.of(Action.SUSPEND, Target.message(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SteeringCommand.of(Action.BOUNCE, Target.domain("x.test")))
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> SteeringCommand.of(Action.FLUSH, Target.message(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
