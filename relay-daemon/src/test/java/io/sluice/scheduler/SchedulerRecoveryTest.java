package io.sluice.scheduler;

import static io.sluice.scheduler.SchedulerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up: the recovered pending set is queued, deferred recipients at their due time, the rest spread out. */
class SchedulerRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void shouldQueueRecoveredRecipientsSpreadingTheDueOnesAndKeepingRetryTimes() throws Exception {
        long deferredDue = T0 + 120_000;
        try (SchedulerFixture first = new SchedulerFixture(dir, SchedulerFixture.options(100)).start()) {
            for (int i = 1; i <= 20; i++) {
                first.accept(i, "r" + i + "@rec.test");
            }
            first.accept(21, "late@rec.test", "done@rec.test");
            assertThat(first.writer.offerDeferred(21, 0, 3, deferredDue, 451, "try later")).isTrue();
            assertThat(first.writer.offerOutcome(21, 1, io.sluice.journal.OutcomeCode.DELIVERED, T0)).isTrue();
            first.awaitJournalled(2);
        }

        try (SchedulerFixture f = new SchedulerFixture(dir, SchedulerFixture.options(100))) {
            f.dns.mx("rec.test", 10, "mx.rec.test").a("mx.rec.test", "127.0.0.20");
            f.start(recovered -> f.scheduler.loadRecovered(recovered.pending()));
            f.deliverAtOnce = true; // the site's concurrency window opens with each success
            assertThat(f.scheduler.counters().scheduledRecipients()).isZero(); // published by the first doWork
            f.scheduler.doWork();
            assertThat(f.scheduler.counters().scheduledRecipients()).isEqualTo(21);

            List<Integer> perStep = new ArrayList<>();
            int seen = 0;
            for (int step = 0; step <= 6; step++) {
                f.clock.set(T0 + step * 10_000L);
                f.settle();
                f.runUntil("due ones resolved and dispatched at step " + step,
                        () -> f.scheduler.dnsIdle() && f.scheduler.counters().readyRecipients() == 0);
                perStep.add(f.dispatched.size() - seen);
                seen = f.dispatched.size();
            }
            assertThat(seen).as("all 20 undeferred recipients within the spread window").isEqualTo(20);
            assertThat(perStep.stream().filter(n -> n > 0).count()).as("spread, not all at once: " + perStep)
                    .isGreaterThanOrEqualTo(4);
            assertThat(f.dispatched).allMatch(t -> t.messageId() != 21 && t.attempt(0) == 1);

            f.clock.set(deferredDue - 1);
            f.settle();
            assertThat(f.dispatched).hasSize(20);
            f.clock.set(deferredDue);
            f.runUntil("deferred one at its due time", () -> f.dispatched.size() == 21);
            DeliveryTask late = f.dispatched.get(20);
            assertThat(late.messageId()).isEqualTo(21);
            assertThat(late.recipients()).containsExactly("late@rec.test");
            assertThat(late.recipientIndexes()).containsExactly(0);
            assertThat(late.attempt(0)).as("attempts carried over").isEqualTo(4);
        }
    }

    @Test
    void shouldCountExpiryAfterRestartFromTheJournalledReceivedTime() throws Exception {
        try (SchedulerFixture first = new SchedulerFixture(dir, SchedulerFixture.options(100)).start()) {
            first.accept(1, "old@rec.test");
            first.advance(SchedulerFixture.MAX_AGE / 2);
            first.accept(2, "young@rec.test");
        }
        try (SchedulerFixture f = new SchedulerFixture(dir, SchedulerFixture.options(100))) {
            f.dns.mx("rec.test", 10, "mx.rec.test").a("mx.rec.test", "127.0.0.20");
            // Restart just past message 1's max_age: it expires, message 2 (accepted later) does not. Ids 1 and 2
            // carry no usable time, so only the received times in the journal can tell them apart.
            f.clock.set(T0 + SchedulerFixture.MAX_AGE + 1);
            f.start(recovered -> f.scheduler.loadRecovered(recovered.pending()));
            f.advance(SchedulerFixture.MAX_AGE / 4); // past the recovery spread, before message 2's expiry
            f.runUntil("message 1 expired", () -> f.failures.size() == 1);
            f.runUntil("message 2 dispatched", () -> f.dispatched.size() == 1);
            assertThat(f.failures).containsExactly("1/0/old@rec.test/expired/0/4.4.7");
            assertThat(f.dispatched.get(0).messageId()).isEqualTo(2);
        }
    }
}
