package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Quotas: a burst of one period's count, then exactly the rate; refusals cost nothing; the wait is exact. Spaced
 * rates: never two at once without a burst, a caller a little late each time still gets the exact rate, a burst
 * after a pause.
 */
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

    @Test
    void shouldSpaceEventsEvenlyAndKeepTheRateForACallerLateEachTime() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        long t = 1_000 * SECOND;
        Gcra rate = Gcra.spaced(10 * ms, 1, t);
        assertThat(rate.tryAcquire(t)).isTrue();
        assertThat(rate.tryAcquire(t)).as("never two at once").isFalse();
        long now = t;
        int taken = 1;
        while (now < t + SECOND) { // a caller that comes back 2 ms after each due time
            now += rate.waitNanos(now) + 2 * ms;
            if (now < t + SECOND && rate.tryAcquire(now)) {
                taken++;
            }
        }
        assertThat(taken).as("100/s kept although every call was 2 ms late").isBetween(99, 101);
    }

    @Test
    void shouldLetABurstGoAfterAPauseAndNoMore() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        long t = 1_000 * SECOND;
        Gcra rate = Gcra.spaced(10 * ms, 3, t);
        long later = t + SECOND;
        int burst = 0;
        while (rate.tryAcquire(later)) {
            burst++;
        }
        assertThat(burst).isEqualTo(3);
        assertThat(rate.waitNanos(later)).isBetween(5 * ms, 10 * ms);
    }

    @Test
    void shouldKeepARateFasterThanTheMillisecondClockThatAsksIt() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        long t = 1_000 * ms;
        Gcra rate = Gcra.spaced(SECOND / 5_000, 1, t); // 5000/s, asked on a millisecond clock
        int taken = 0;
        for (long now = t; now < t + SECOND; now += ms) {
            while (rate.tryAcquire(now)) {
                taken++;
            }
        }
        assertThat(taken).as("5000/s, not one per millisecond").isBetween(4_990, 5_010);
    }

    @Test
    void shouldNotLetTwoGoAtOnceAfterAPauseWithoutABurst() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        long t = 1_000 * SECOND;
        Gcra rate = Gcra.spaced(2 * ms, 1, t);
        assertThat(rate.tryAcquire(t)).isTrue();
        long later = t + SECOND;
        assertThat(rate.tryAcquire(later)).isTrue();
        assertThat(rate.tryAcquire(later)).as("a pause earns no second event").isFalse();
        assertThat(rate.waitNanos(later)).isEqualTo(2 * ms);
    }
}
