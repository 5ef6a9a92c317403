package io.sluice.scheduler;

import io.sluice.config.DeliverySettings;

/**
 * When a recipient that got a temporary failure is tried again (docs/architecture.md "Retries and health"): exponential
 * backoff {@code first * multiplier^(attempts-1)}, capped at {@code max}, spread by a jitter of up to
 * +/-{@link #JITTER} so mail deferred together does not come back together; never later than the message's expiry
 * ({@code received + max_age}), so an expiring recipient is looked at when it expires, not after.
 *
 * <p>Config: {@code delivery.retry.first}, {@code .multiplier}, {@code .max}, {@code delivery.max_age}. Pure; the
 * random draw is a parameter so callers own their generator (the scheduler thread) and tests are exact.
 */
public final class RetryPolicy {
    /** Largest relative spread of a retry interval. */
    public static final double JITTER = 0.2;

    private final long firstMillis;
    private final double multiplier;
    private final long maxMillis;
    private final long maxAgeMillis;

    public RetryPolicy(long firstMillis, double multiplier, long maxMillis, long maxAgeMillis) {
        if (firstMillis <= 0 || multiplier < 1.0 || maxMillis < firstMillis || maxAgeMillis <= 0) {
            throw new IllegalArgumentException("bad retry policy: first " + firstMillis + " ms, multiplier "
                    + multiplier + ", max " + maxMillis + " ms, max age " + maxAgeMillis + " ms");
        }
        this.firstMillis = firstMillis;
        this.multiplier = multiplier;
        this.maxMillis = maxMillis;
        this.maxAgeMillis = maxAgeMillis;
    }

    public static RetryPolicy from(DeliverySettings settings) {
        return new RetryPolicy(settings.retryFirst().toMillis(), settings.retryMultiplier(),
                settings.retryMax().toMillis(), settings.maxAge().toMillis());
    }

    /** The interval after {@code failedAttempts} (at least 1) failures, before jitter. */
    public long baseIntervalMillis(int failedAttempts) {
        double interval = firstMillis * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return interval >= maxMillis ? maxMillis : (long) interval;
    }

    /**
     * The time of the next attempt.
     *
     * @param nowMillis        when the failure happened
     * @param failedAttempts   failures so far, including this one (at least 1)
     * @param receivedAtMillis when the message was accepted
     * @param random           a uniform draw in [0, 1)
     */
    public long nextAttemptAtMillis(long nowMillis, int failedAttempts, long receivedAtMillis, double random) {
        long base = baseIntervalMillis(failedAttempts);
        long jittered = Math.round(base * (1.0 - JITTER + 2 * JITTER * random));
        long due = nowMillis + Math.max(1, Math.min(jittered, maxMillis));
        return Math.min(due, expiresAtMillis(receivedAtMillis));
    }

    /** When a message received at {@code receivedAtMillis} expires. */
    public long expiresAtMillis(long receivedAtMillis) {
        return receivedAtMillis + maxAgeMillis;
    }

    public boolean isExpired(long nowMillis, long receivedAtMillis) {
        return nowMillis >= expiresAtMillis(receivedAtMillis);
    }
}
