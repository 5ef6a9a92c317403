package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pending-set semantics, wide recipient bitmaps, counter visibility and heap footprint. */
class PendingSetTest {
    @Test
    void shouldRemoveAMessageWithItsLastPendingRecipient() {
        PendingSet set = new PendingSet();
        assertThat(set.add(7, 70, List.of("a@x.org", "b@x.org", "c@x.org"))).isTrue();
        assertThat(set.pendingMessages()).isEqualTo(1);
        assertThat(set.pendingRecipients()).isEqualTo(3);

        assertThat(set.complete(7, 1)).isTrue();
        assertThat(set.complete(7, 1)).isFalse();
        assertThat(set.complete(7, 3)).isFalse();
        assertThat(set.complete(8, 0)).isFalse();
        assertThat(set.pendingRecipients()).isEqualTo(2);
        assertThat(set.get(7).recipients()).containsExactly("a@x.org", "b@x.org", "c@x.org");
        assertThat(set.get(7).recipient(2)).isEqualTo("c@x.org");
        assertThat(set.get(7).bodiesIndex()).isEqualTo(70);

        assertThat(set.complete(7, 0)).isTrue();
        assertThat(set.complete(7, 2)).isTrue();
        assertThat(set.get(7)).isNull();
        assertThat(set.pendingMessages()).isZero();
        assertThat(set.pendingRecipients()).isZero();
    }

    @Test
    void shouldKeepTheLastRetryScheduleOfPendingRecipientsOnly() {
        PendingSet set = new PendingSet();
        set.add(7, 70, List.of("a@x.org", "b@x.org"));
        assertThat(set.get(7).isDeferred(0)).isFalse();
        assertThat(set.get(7).attempts(0)).isZero();
        assertThat(set.get(7).nextDueMillis(0)).isZero();

        assertThat(set.defer(7, 0, 1, 1000)).isTrue();
        assertThat(set.defer(7, 0, 2, 5000)).isTrue();
        assertThat(set.get(7).isDeferred(0)).isTrue();
        assertThat(set.get(7).attempts(0)).isEqualTo(2);
        assertThat(set.get(7).nextDueMillis(0)).isEqualTo(5000);
        assertThat(set.get(7).isDeferred(1)).isFalse();
        assertThat(set.pendingRecipients()).as("deferred recipients stay pending").isEqualTo(2);

        assertThat(set.defer(7, 2, 1, 1000)).as("index out of range").isFalse();
        assertThat(set.defer(8, 0, 1, 1000)).as("unknown message").isFalse();
        assertThat(set.complete(7, 0)).isTrue();
        assertThat(set.get(7).isDeferred(0)).as("final clears the schedule").isFalse();
        assertThat(set.defer(7, 0, 3, 9000)).as("already final").isFalse();
        assertThat(set.get(7).attempts(0)).isZero();
    }

    @Test
    void shouldClampRetryValuesToWhatThePackedWordHolds() {
        PendingSet set = new PendingSet();
        set.add(1, 10, List.of("a@x.org", "b@x.org"));
        set.defer(1, 0, 1_000_000, Long.MAX_VALUE);
        set.defer(1, 1, 1, -1);
        assertThat(set.get(1).attempts(0)).isEqualTo(65_535);
        assertThat(set.get(1).nextDueMillis(0)).isEqualTo((1L << 48) - 1);
        assertThat(set.get(1).isDeferred(1)).isTrue();
        assertThat(set.get(1).nextDueMillis(1)).isZero();
        assertThat(set.get(1).attempts(1)).isEqualTo(1);
    }

    @Test
    void shouldTrackRecipientsBeyondTheFirstSixtyFour() {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rcpts.add("r" + i + "@x.org");
        }
        PendingSet set = new PendingSet();
        set.add(1, 10, rcpts);
        for (int i = 0; i < 200; i += 3) {
            assertThat(set.complete(1, i)).isTrue();
        }
        for (int i = 0; i < 200; i++) {
            assertThat(set.isPending(1, i)).as("recipient %d", i).isEqualTo(i % 3 != 0);
        }
        assertThat(set.get(1).pendingCount()).isEqualTo(200 - 67);
        assertThat(set.get(1).recipient(199)).isEqualTo("r199@x.org");
        assertThat(set.isPending(1, 200)).isFalse();
    }

    @Test
    void shouldKeepUnicodeRecipientsExactly() {
        PendingSet set = new PendingSet();
        set.add(1, 10, List.of("üser@exämple.de", "😀@x.org", "plain@x.org"));
        assertThat(set.get(1).recipients()).containsExactly("üser@exämple.de", "😀@x.org", "plain@x.org");
    }

    @Test
    void shouldRefuseADuplicateId() {
        PendingSet set = new PendingSet();
        assertThat(set.add(1, 10, List.of("a@x.org"))).isTrue();
        assertThat(set.add(1, 11, List.of("b@x.org", "c@x.org"))).isFalse();
        assertThat(set.pendingRecipients()).isEqualTo(1);
        assertThat(set.get(1).bodiesIndex()).isEqualTo(10);
    }

    @Test
    void shouldHoldAMillionRecipientsInFarLessThan512MiB() {
        // 200k single-recipient messages (the worst case per recipient), extrapolated to a million: < 250 MB.
        int n = 200_000;
        long before = usedHeapAfterGc();
        PendingSet set = new PendingSet();
        for (int i = 0; i < n; i++) {
            set.add(1_000_000_000L + i, i, List.of("user" + (1_000_000 + i) + "@example.com"));
        }
        long after = usedHeapAfterGc();
        long perRecipient = (after - before) / n;
        assertThat(set.pendingRecipients()).isEqualTo(n);
        // Measured ~146 bytes (entry, recipient block, map slots): a million take ~145 MiB.
        assertThat(perRecipient).isLessThan(250);

        // Every one of them deferred (the sink-down case): one long[1] more each.
        for (int i = 0; i < n; i++) {
            set.defer(1_000_000_000L + i, 0, 3, 1_790_000_000_000L + i);
        }
        long deferred = (usedHeapAfterGc() - before) / n;
        assertThat(set.get(1_000_000_000L + n - 1).attempts(0)).isEqualTo(3);
        // Measured ~170 bytes: a million deferred recipients take ~170 MiB, far below 512 MiB.
        assertThat(deferred).isLessThan(280);
    }

    @Test
    void shouldPublishCountersToOtherThreads() throws Exception {
        PendingSet set = new PendingSet();
        AtomicLong seen = new AtomicLong();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                set.add(i, i, List.of("a@x.org", "b@x.org"));
            }
        });
        writer.start();
        writer.join();
        Thread reader = new Thread(() -> seen.set(set.pendingRecipients()));
        reader.start();
        reader.join();
        assertThat(seen.get()).isEqualTo(2000);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
