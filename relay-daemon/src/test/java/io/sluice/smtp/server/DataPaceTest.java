package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DATA pace arithmetic (Postfix's smtpd_min_data_rate credit rule) on synthetic clock values. */
class DataPaceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long T0 = 1_000 * SECOND;

    /** data_timeout 30s, data_deadline 10m, min_data_rate 500 B/s. */
    private final DataPace pace = new DataPace(30 * SECOND, 600 * SECOND, 500);

    @Test
    void shouldStartWithDataTimeoutOfCreditAndTheWholeDeadline() {
        pace.start(T0);
        assertThat(pace.rateDeadlineNanos()).isEqualTo(T0 + 30 * SECOND);
        assertThat(pace.deadlineNanos()).isEqualTo(T0 + 600 * SECOND);
        assertThat(pace.checksRate()).isTrue();
    }

    @Test
    void shouldRunOutOfCreditWhenOneByteArrivesEveryTwentySeconds() {
        pace.start(T0);
        // The slow client: a byte every 20 s adds 2 ms of credit each time.
        assertThat(pace.received(1, T0 + 20 * SECOND)).isTrue();
        assertThat(pace.rateDeadlineNanos()).isEqualTo(T0 + 30 * SECOND + 2_000_000);
        pace.received(2, T0 + 40 * SECOND);
        assertThat(pace.rateDeadlineNanos() - (T0 + 40 * SECOND)).as("already past").isNegative();
    }

    @Test
    void shouldNeverCreditMoreThanDataTimeoutAhead() {
        pace.start(T0);
        pace.received(10_000_000, T0 + SECOND);
        assertThat(pace.rateDeadlineNanos()).isEqualTo(T0 + 31 * SECOND);
        // At exactly the minimum rate the credit stays a full data_timeout ahead.
        pace.received(10_000_000 + 500 * 10, T0 + 11 * SECOND);
        assertThat(pace.rateDeadlineNanos()).isEqualTo(T0 + 41 * SECOND);
        // At half of it, half of the elapsed time is lost.
        pace.received(10_000_000 + 500 * 10 + 250 * 10, T0 + 21 * SECOND);
        assertThat(pace.rateDeadlineNanos()).isEqualTo(T0 + 46 * SECOND);
    }

    @Test
    void shouldIgnoreReadsWithoutNewText() {
        pace.start(T0);
        pace.received(100, T0 + SECOND);
        assertThat(pace.received(100, T0 + 2 * SECOND)).isFalse();
    }

    @Test
    void shouldNotCheckRateWhenMinimumIsZero() {
        DataPace off = new DataPace(30 * SECOND, 600 * SECOND, 0);
        off.start(T0);
        assertThat(off.checksRate()).isFalse();
        assertThat(off.deadlineNanos()).isEqualTo(T0 + 600 * SECOND);
    }
}
