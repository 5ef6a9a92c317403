package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ordered backlog in front of a refusing stage: nothing dropped, nothing overtakes. */
class OrderedBacklogTest {
    private final List<Integer> taken = new ArrayList<>();
    private int room;
    private final OrderedBacklog<Integer> backlog = new OrderedBacklog<>(i -> {
        if (room == 0) {
            return false;
        }
        room--;
        return taken.add(i);
    });

    @Test
    void shouldKeepRefusedItemsInOrderAndQueueLaterOnesBehindThem() {
        room = 1;
        backlog.offer(1);
        backlog.offer(2); // refused: stage full
        room = 5;
        backlog.offer(3); // the stage has room, but 2 waits: 3 must not overtake it
        assertThat(taken).containsExactly(1);
        assertThat(backlog.size()).isEqualTo(2);

        assertThat(backlog.flush()).isEqualTo(2);
        assertThat(taken).containsExactly(1, 2, 3);
        assertThat(backlog.isEmpty()).isTrue();
    }

    @Test
    void shouldStopFlushingAtTheFirstRefusal() {
        backlog.add(1);
        backlog.add(2);
        backlog.add(3);
        room = 2;
        assertThat(backlog.flush()).isEqualTo(2);
        assertThat(backlog.size()).isEqualTo(1);
        room = 1;
        assertThat(backlog.flush()).isEqualTo(1);
        assertThat(taken).containsExactly(1, 2, 3);
    }
}
