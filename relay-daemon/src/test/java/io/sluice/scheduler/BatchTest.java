package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A batch starts small and grows up to its capacity, keeping every recipient in order. */
class BatchTest {

    @Test
    void shouldStartSmallAndGrowUpToItsCapacity() {
        Batch b = new Batch(5);
        assertThat(b.indexes).hasSize(Batch.INITIAL_ROOM);
        for (int i = 0; i < 5; i++) {
            assertThat(b.isFull()).isFalse();
            b.add(10 + i, "r" + i + "@x.test", i);
        }
        assertThat(b.isFull()).isTrue();
        assertThat(b.indexes).hasSize(5).containsExactly(10, 11, 12, 13, 14);
        assertThat(b.addresses).containsExactly("r0@x.test", "r1@x.test", "r2@x.test", "r3@x.test", "r4@x.test");
        assertThat(b.attempts).containsExactly(0, 1, 2, 3, 4);
        assertThat(b.maxAttempts()).isEqualTo(4);
    }

    @Test
    void shouldNotAllocateBeyondOneRecipientsWorthForASingleRecipientMessage() {
        Batch b = new Batch(100);
        b.add(0, "only@x.test", 0);
        assertThat(b.isFull()).isFalse();
        assertThat(b.addresses.length).isLessThanOrEqualTo(Batch.INITIAL_ROOM);
    }
}
