package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageScheduleTest {

    @Test
    void shouldPaceOpenLoopFromTheFirstClaim() {
        MessageSchedule schedule = new MessageSchedule(10, 0, 1000);
        assertThat(schedule.claim(5_000)).isZero();
        assertThat(schedule.intendedStartNanos(0)).isEqualTo(5_000);
        assertThat(schedule.intendedStartNanos(3)).isEqualTo(5_000 + 3_000_000);
    }

    @Test
    void shouldGiveMeasuredMessagesTheirOwnOriginAfterWarmup() {
        MessageSchedule schedule = new MessageSchedule(6, 2, 1000);
        assertThat(schedule.claim(0)).isZero();
        assertThat(schedule.claim(1)).isEqualTo(1);
        // The warm-up ran late: the first measured claim comes 50 ms after its slot.
        assertThat(schedule.claim(51_000_000)).isEqualTo(2);
        assertThat(schedule.isWarmup(1)).isTrue();
        assertThat(schedule.intendedStartNanos(1)).isEqualTo(1_000_000);
        assertThat(schedule.intendedStartNanos(2)).as("not charged for the warm-up backlog").isEqualTo(51_000_000);
        assertThat(schedule.intendedStartNanos(5)).isEqualTo(54_000_000);
    }

    @Test
    void shouldStopHandingOutNumbersAtTheTotal() {
        MessageSchedule schedule = new MessageSchedule(1, 0, 0);
        assertThat(schedule.claim(0)).isZero();
        assertThat(schedule.claim(1)).isEqualTo(MessageSchedule.NONE);
        assertThat(schedule.claimed()).isEqualTo(1);
    }
}
