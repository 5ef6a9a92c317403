package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lanes by weight while both have mail, all turns to the one that has, counts kept, FIFO within a lane. */
class LanedQueueTest {

    private static Batch batch(int lane, int id) {
        Batch b = new Batch(4);
        b.messageId = id;
        b.lane = lane;
        b.add(0, "r" + id + "@x.test", 0);
        return b;
    }

    @Test
    void shouldTakeLanesByWeightAndFifoWithinEach() {
        Lanes lanes = new Lanes();
        int tx = lanes.slot("transactional");
        int bulk = lanes.slot("bulk");
        lanes.weigh("transactional", 4);
        lanes.weigh("bulk", 1);
        LanedQueue q = new LanedQueue(lanes);
        for (int i = 0; i < 10; i++) {
            q.addLast(batch(bulk, 100 + i));
            q.addLast(batch(tx, i));
        }
        assertThat(q.batches()).isEqualTo(20);
        assertThat(q.recipients()).isEqualTo(20);
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            order.add(q.poll().messageId);
        }
        assertThat(order).as("4 transactional to 1 bulk, each lane in order")
                .containsExactly(0L, 1L, 100L, 2L, 3L, 4L, 5L, 101L, 6L, 7L);
        List<Long> rest = new ArrayList<>();
        Batch b;
        while ((b = q.poll()) != null) {
            rest.add(b.messageId);
        }
        assertThat(rest).as("then bulk alone gets every turn").containsExactly(8L, 9L, 102L, 103L, 104L, 105L, 106L,
                107L, 108L, 109L);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.recipients()).isZero();
    }

    @Test
    void shouldPutABatchBackAtItsLanesHeadAndDetachAcrossLanes() {
        Lanes lanes = new Lanes();
        LanedQueue q = new LanedQueue(lanes);
        int a = lanes.slot("a");
        int c = lanes.slot("c");
        q.addLast(batch(a, 1));
        q.addLast(batch(c, 2));
        Batch first = q.head(a);
        assertThat(q.pollLane(a)).isSameAs(first);
        assertThat(q.batches()).isEqualTo(1);
        q.addFirst(first);
        assertThat(q.head(a)).isSameAs(first);
        assertThat(q.head(c).messageId).isEqualTo(2);
        List<Long> detached = new ArrayList<>();
        q.detachIf(x -> x.messageId == 2, x -> detached.add(x.messageId));
        assertThat(detached).containsExactly(2L);
        assertThat(q.batches()).isEqualTo(1);
        assertThat(q.recipients()).isEqualTo(1);
    }
}
