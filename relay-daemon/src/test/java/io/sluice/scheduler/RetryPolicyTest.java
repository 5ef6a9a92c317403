package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.DeliverySettings;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final long MINUTE = 60_000L;
    private final RetryPolicy policy = new RetryPolicy(5 * MINUTE, 2.0, 240 * MINUTE, 5 * 24 * 60 * MINUTE);

    @Test
    void shouldGrowExponentiallyUpToTheCap() {
        assertThat(policy.baseIntervalMillis(1)).isEqualTo(5 * MINUTE);
        assertThat(policy.baseIntervalMillis(2)).isEqualTo(10 * MINUTE);
        assertThat(policy.baseIntervalMillis(4)).isEqualTo(40 * MINUTE);
        assertThat(policy.baseIntervalMillis(7)).isEqualTo(240 * MINUTE);
        assertThat(policy.baseIntervalMillis(500)).isEqualTo(240 * MINUTE);
    }

    @Test
    void shouldSpreadByJitterWithinBounds() {
        long now = 1_000_000L;
        assertThat(policy.nextAttemptAtMillis(now, 1, now, 0.0)).isEqualTo(now + 4 * MINUTE);
        assertThat(policy.nextAttemptAtMillis(now, 1, now, 0.5)).isEqualTo(now + 5 * MINUTE);
        assertThat(policy.nextAttemptAtMillis(now, 1, now, 0.999999)).isBetween(now + 6 * MINUTE - 1, now + 6 * MINUTE);
        assertThat(policy.nextAttemptAtMillis(now, 9, now, 0.999)).as("never past the cap")
                .isEqualTo(now + 240 * MINUTE);
    }

    @Test
    void shouldNeverScheduleBeyondExpiry() {
        long received = 0;
        long almostExpired = 5 * 24 * 60 * MINUTE - MINUTE;
        assertThat(policy.nextAttemptAtMillis(almostExpired, 30, received, 0.5))
                .isEqualTo(policy.expiresAtMillis(received));
        assertThat(policy.isExpired(policy.expiresAtMillis(received), received)).isTrue();
        assertThat(policy.isExpired(policy.expiresAtMillis(received) - 1, received)).isFalse();
    }

    @Test
    void shouldBuildFromSettingsDefaultsAndRejectNonsense() {
        RetryPolicy defaults = RetryPolicy.from(DeliverySettings.defaults("mx.test"));
        assertThat(defaults.baseIntervalMillis(1)).isEqualTo(5 * MINUTE);
        assertThat(defaults.expiresAtMillis(0)).isEqualTo(5L * 24 * 60 * MINUTE);
        assertThatThrownBy(() -> new RetryPolicy(10, 0.5, 100, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(100, 2, 10, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
