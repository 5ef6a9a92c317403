package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A burst of one period's count, then exactly the rate; refusals cost nothing; the wait is exact. */
class GcraTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void shouldAllowABurstOfCountThenTheRate() {
        long t = 1_000 * SECOND;
        Gcra limit = new Gcra(10, SECOND, t);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.tryAcquire(t)).as("burst event %d", i).isTrue();
        }
        assertThat(limit.tryAcquire(t)).as("the 11th in the same instant").isFalse();
        assertThat(limit.waitNanos(t)).isEqualTo(SECOND / 10);
        assertThat(limit.tryAcquire(t + SECOND / 10 - 1)).isFalse();
        assertThat(limit.tryAcquire(t + SECOND / 10)).isTrue();
        int accepted = 1; // the one at t + interval, just above
        for (long now = t + SECOND / 10 + 1; now < t + 11 * SECOND / 10; now += SECOND / 1000) {
            if (limit.tryAcquire(now)) {
                accepted++;
            }
        }
        assertThat(accepted).as("one second after the burst: at the rate").isEqualTo(10);
    }

    @Test
    void shouldRefillAfterAQuietPeriodButNotBeyondOneBurst() {
        long t = 5 * SECOND;
        Gcra limit = new Gcra(3, SECOND, t);
        assertThat(limit.tryAcquire(t)).isTrue();
        long later = t + 60 * SECOND;
        int burst = 0;
        while (limit.tryAcquire(later)) {
            burst++;
        }
        assertThat(burst).isEqualTo(3);
    }
}
