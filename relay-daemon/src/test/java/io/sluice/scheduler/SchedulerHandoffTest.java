package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-off from the journal writer to the scheduler never drops (docs/architecture.md "Hand-off to the scheduler
 * never drops"): with an inbox of two entries and the scheduler not running, a burst of acknowledged messages waits in
 * the {@link QueuedHandoff}'s ordered backlog, and every message is delivered, in order, without a restart.
 */
class SchedulerHandoffTest {
    private static final int BURST = 40;

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
    void shouldDeliverEveryMessageOfABurstLargerThanTheInboxWithoutARestart() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(BURST, 2));
        f.dns.mx("burst.test", 10, "mx.burst.test").a("mx.burst.test", "127.0.0.2");
        f.start();
        for (int id = 1; id <= BURST; id++) {
            f.accept(id, "r" + id + "@burst.test"); // waits for the 250: durable, acknowledged
        }
        assertThat(f.scheduler.counters().refusedQueuedMessages())
                .as("the inbox (2) was full while the scheduler did not run").isGreaterThan(0);

        f.deliverAtOnce = true;
        f.runUntil("every message dispatched", () -> f.dispatched.size() == BURST);
        List<Long> order = new ArrayList<>();
        for (DeliveryTask task : f.dispatched) {
            order.add(task.messageId());
        }
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        f.awaitJournalled(BURST);

        List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= BURST; id++) {
            expected.add(id);
        }
        assertThat(order).as("acceptance order kept through the backlog").isEqualTo(expected);
        assertThat(f.journalled).hasSize(BURST).allMatch(r -> r.endsWith("/0/delivered"));
        assertThat(f.handoff.waiting()).isZero();
    }
}
