package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oldest pending message's received time, as the pending set maintains it: it follows final outcomes in any
 * order, is 0/NONE when nothing is pending, survives a restart (from a checkpoint and by full replay), and keeps
 * working when pending mail spans more time than the bucket ring (buckets merge, the age never reads low).
 */
class OldestPendingTest {
    private static final long T0 = 1_790_000_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void shouldReportNothingWhenEmpty() {
        PendingSet set = new PendingSet();
        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(OldestPending.NONE);
        assertThat(set.oldest().ageSeconds(T0)).isZero();

        set.add(1, 10, T0, List.of("a@x.org"));
        set.complete(1, 0);

        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(OldestPending.NONE);
        assertThat(set.oldest().ageSeconds(T0 + HOUR)).isZero();
    }

    @Test
    void shouldFollowFinalOutcomesInAnyOrder() {
        PendingSet set = new PendingSet();
        set.add(1, 10, T0, List.of("a@x.org", "b@x.org"));
        set.add(2, 11, T0 + 5_000, List.of("c@x.org"));
        set.add(3, 12, T0 + 9_000, List.of("d@x.org"));
        long now = T0 + 60_000;
        assertThat(set.oldest().ageSeconds(now)).isEqualTo(60);

        set.complete(3, 0); // the newest leaves first: the oldest stays
        assertThat(set.oldest().ageSeconds(now)).isEqualTo(60);
        set.complete(1, 1); // one of the oldest's two recipients: still pending
        assertThat(set.oldest().ageSeconds(now)).isEqualTo(60);
        set.complete(1, 0); // the oldest leaves: the next oldest is message 2
        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(T0 + 5_000);
        assertThat(set.oldest().ageSeconds(now)).isEqualTo(55);
        set.complete(2, 0);
        assertThat(set.oldest().ageSeconds(now)).isZero();
    }

    @Test
    void shouldTakeAnOlderMessageAddedLater() {
        PendingSet set = new PendingSet();
        set.add(5, 10, T0, List.of("a@x.org"));
        set.add(4, 11, T0 - 30_000, List.of("b@x.org")); // recovered or clock stepped back
        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(T0 - 30_000);
        set.complete(4, 0);
        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(T0);
    }

    @Test
    void shouldCountRestoredMessagesWithPendingRecipientsOnly() {
        PendingSet set = new PendingSet();
        byte[] block = RecipientBlock.encode(List.of("a@x.org"));
        set.restore(1, 10, T0 - HOUR, block, 1, new long[] {0}, null, io.sluice.model.RouteInputs.UNKNOWN); // final
        set.restore(2, 11, T0, block, 1, new long[] {1}, null, io.sluice.model.RouteInputs.UNKNOWN);
        assertThat(set.oldest().oldestReceivedAtMillis()).isEqualTo(T0);
    }

    @Test
    void shouldMergeBucketsWhenPendingMailSpansMoreThanTheRing() {
        OldestPending oldest = new OldestPending(8); // 8 one-second buckets before the first merge
        oldest.added(T0);
        oldest.added(T0 + 3_000);
        oldest.added(T0 + 20_500); // spans 21 s: the width grows to 4 s
        assertThat(oldest.widthMillis()).isEqualTo(4_000);
        assertThat(oldest.oldestReceivedAtMillis()).isLessThanOrEqualTo(T0).isGreaterThan(T0 - 4_000);

        oldest.removed(T0);
        assertThat(oldest.oldestReceivedAtMillis()).as("message 2, rounded down to its 4 s bucket")
                .isLessThanOrEqualTo(T0 + 3_000).isGreaterThan(T0 + 3_000 - 4_000);
        oldest.removed(T0 + 3_000);
        assertThat(oldest.oldestReceivedAtMillis()).isLessThanOrEqualTo(T0 + 20_500)
                .isGreaterThan(T0 + 20_500 - 4_000);
        oldest.removed(T0 + 20_500);
        assertThat(oldest.oldestReceivedAtMillis()).isEqualTo(OldestPending.NONE);

        oldest.added(T0 + 100_123); // empty again: back to 1 s buckets
        assertThat(oldest.widthMillis()).isEqualTo(1_000);
        assertThat(oldest.oldestReceivedAtMillis()).isEqualTo(T0 + 100_000);
    }

    @Test
    void shouldNeverReadLowWithFiveDaysOfPendingMailInTheDefaultRing() {
        PendingSet set = new PendingSet();
        long now = T0 + 5 * 24 * HOUR;
        for (int i = 0; i <= 120; i++) { // one message an hour for five days
            set.add(i, i, T0 + i * HOUR, List.of("r@x.org"));
        }
        assertThat(set.oldest().widthMillis()).isEqualTo(8_000);
        long trueAge = (now - T0) / 1000;
        assertThat(set.oldest().ageSeconds(now)).isBetween(trueAge, trueAge + 8);
        for (int i = 0; i < 119; i++) {
            set.complete(i, 0);
        }
        assertThat(set.oldest().ageSeconds(now)).isBetween(HOUR / 1000, HOUR / 1000 + 8);
    }

    @Test
    void shouldSurviveARestartFromACheckpointAndByFullReplay() throws Exception {
        long[] ids = new long[3];
        long[] times = {T0 - 3 * HOUR, T0 - 2 * HOUR, T0 - HOUR};
        try (Journal journal = TestJournals.open(dir)) {
            AtomicLong outcomes = new AtomicLong();
            CountDownLatch outcomeRecorded = new CountDownLatch(1);
            RecoveryResult recovered = Recovery.recover(journal);
            JournalWriter writer = JournalWriter.start(journal, recovered, new WriterOptions()
                    .outcomeListener((id, index, code, recorded) -> {
                        outcomes.incrementAndGet();
                        outcomeRecorded.countDown();
                    }));
            for (int i = 0; i < 3; i++) {
                ids[i] = journal.nextMessageId();
                TestJournals.Recorder recorder = new TestJournals.Recorder(1);
                writer.offer(new AcceptedMessage(ids[i], times[i], "main", "127.0.0.1", "helo", null, "s@x.org",
                        List.of("r@x.org"), ByteBuffer.wrap(new byte[] {1})), recorder);
                recorder.await();
            }
            assertThat(recovered.pending().oldest().oldestReceivedAtMillis()).isEqualTo(times[0]);
            assertThat(writer.offerOutcome(ids[0], 0, OutcomeCode.DELIVERED, T0)).isTrue();
            assertThat(outcomeRecorded.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(recovered.pending().oldest().oldestReceivedAtMillis()).isEqualTo(times[1]);
            writer.close();
        }
        try (Journal journal = TestJournals.open(dir)) {
            assertThat(Recovery.recover(journal).pending().oldest().oldestReceivedAtMillis()).as("checkpoint")
                    .isEqualTo(times[1]);
            assertThat(Recovery.replayAll(journal).pending().oldest().oldestReceivedAtMillis()).as("full replay")
                    .isEqualTo(times[1]);
        }
    }
}
