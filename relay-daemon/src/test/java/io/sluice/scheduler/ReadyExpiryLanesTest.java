package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.dns.SiteKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expiry of ready mail checks the head of every lane: an expired bulk batch behind a lane that dispatch would take
 * first (and that holds a live batch) still expires while its queue stands still.
 */
class ReadyExpiryLanesTest {

    @Test
    void shouldExpireTheHeadOfEveryLaneNotOnlyTheOneDispatchTakesFirst() {
        Lanes lanes = new Lanes();
        lanes.weigh("transactional", 4);
        lanes.weigh("bulk", 1);
        SiteState site = new SiteState(new SiteGroup(SiteKey.of(List.of("mx.x.test"))), ReadyKey.DEFAULT_SOURCE,
                new SiteHealth(3, 1_000, 60_000), 5, lanes);
        Batch live = batch(lanes.slot("transactional"), 1);
        Batch old = batch(lanes.slot("bulk"), 2);
        site.ready.addLast(live);
        site.ready.addLast(old);
        SchedulerCounters counters = new SchedulerCounters();
        counters.ready = 2;
        List<Long> expired = new ArrayList<>();
        ReadyExpiry expiry = new ReadyExpiry(counters, b -> b.messageId == 2, b -> expired.add(b.messageId),
                b -> false);
        expiry.waiting(site);

        assertThat(expiry.check(s -> true)).isEqualTo(1);

        assertThat(expired).containsExactly(2L);
        assertThat(site.ready.batches()).isEqualTo(1);
        assertThat(site.ready.poll()).isSameAs(live);
        assertThat(counters.ready).isEqualTo(1);
    }

    private static Batch batch(int lane, long id) {
        Batch b = new Batch(4);
        b.messageId = id;
        b.lane = lane;
        b.add(0, "r" + id + "@x.test", 0);
        return b;
    }
}
