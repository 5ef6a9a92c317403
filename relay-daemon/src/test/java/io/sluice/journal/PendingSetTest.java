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
        // Measured ~140 bytes (entry, recipient block, map slots): a million take ~135 MiB.
        assertThat(perRecipient).isLessThan(250);
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
