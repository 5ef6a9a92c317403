package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DeliverySettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks the delivery stage hands back untried ({@link TaskResult#notAttempted}) and the shutdown switches
 * ({@link Scheduler#stopDispatching}, {@link Scheduler#isDrained}): no record, no attempt, no health change.
 */
class SchedulerHandBackTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void shouldRequeueAHandedBackTaskAtTheHeadWithoutARecordOrAnAttempt() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(1)).start();
        f.dns.mx("back.test", 10, "mx.back.test").a("mx.back.test", "127.0.0.13");
        f.accept(1, "a@back.test");
        f.accept(2, "b@back.test");
        f.runUntil("first dispatched, second ready",
                () -> f.dispatched.size() == 1 && f.scheduler.counters().readyRecipients() == 1);

        assertThat(f.scheduler.offerResult(TaskResult.notAttempted(f.dispatched.get(0)))).isTrue();
        f.runUntil("dispatched again", () -> f.dispatched.size() == 2);
        DeliveryTask again = f.dispatched.get(1);
        assertThat(again.messageId()).as("back at the head, before message 2").isEqualTo(1);
        assertThat(again.attempt(0)).as("no attempt counted").isEqualTo(1);
        assertThat(again.taskId()).isNotEqualTo(f.dispatched.get(0).taskId());

        f.delivered(again);
        f.runUntil("second dispatched", () -> f.dispatched.size() == 3);
        f.delivered(f.dispatched.get(2));
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        f.awaitJournalled(2);
        f.settle();
        assertThat(f.journalled).containsExactly("1/0/delivered", "2/0/delivered");
        assertThat(f.scheduler.counters().deadSites()).isZero();
    }

    @Test
    void shouldStopDispatchingButStillRecordResultsUntilDrained() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(1)).start();
        f.dns.mx("stop.test", 10, "mx.stop.test").a("mx.stop.test", "127.0.0.14");
        f.accept(1, "a@stop.test");
        f.accept(2, "b@stop.test");
        f.runUntil("first dispatched", () -> f.dispatched.size() == 1);

        f.scheduler.stopDispatching();
        f.settle();
        assertThat(f.scheduler.isDrained()).as("a task in flight").isFalse();
        f.delivered(f.dispatched.get(0));
        f.runUntil("drained", f.scheduler::isDrained);
        f.settle();
        assertThat(f.dispatched).as("no new task after stopDispatching").hasSize(1);
        f.awaitJournalled(1);
        assertThat(f.journalled).containsExactly("1/0/delivered");
        assertThat(f.scheduler.counters().readyRecipients()).as("message 2 stays pending").isEqualTo(1);
    }

    @Test
    void shouldCapTasksPerSiteAtMaxConnectionsPerSite() {
        DeliverySettings d = DeliverySettings.defaults("relay.test");
        assertThat(SchedulerOptions.from(d).maxInFlightPerSite()).isEqualTo(d.maxConnectionsPerSite());
    }
}
