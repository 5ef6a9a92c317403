package io.sluice.smtp.server;

import java.util.concurrent.TimeUnit;

/**
 * The pace of one DATA phase: its whole-phase deadline ({@code smtp.data_deadline}) and its minimum rate
 * ({@code smtp.min_data_rate}), the latter kept as Postfix keeps {@code smtpd_min_data_rate} with per-request
 * deadlines: the phase starts with {@code smtp.data_timeout} of credit; time spent drains it; every N octets that
 * arrive add N / min_data_rate seconds, never beyond {@code data_timeout} from now. A client whose credit runs out
 * has sent less than the minimum rate over the last stretch of up to {@code data_timeout} (the first
 * {@code data_timeout} is the grace period), however often it sends a byte.
 *
 * <p>Pure arithmetic on {@link System#nanoTime} values, no allocation. Input: {@link #start} at the 354, then
 * {@link #received} with the decoder's running octet count after each read. Output: the two deadlines, read by
 * {@link SessionTimeout}. Threading: the session's event loop only. A rate of 0 turns the rate check off.
 */
final class DataPace {
    private final long dataTimeoutNanos;
    private final long dataDeadlineNanos;
    /** Credit per octet, in nanoseconds; 0 when the rate check is off. */
    private final long nanosPerOctet;

    private long startNanos;
    private long rateDeadlineNanos;
    private long octetsCounted;

    DataPace(long dataTimeoutNanos, long dataDeadlineNanos, long minDataRateBytesPerSec) {
        this.dataTimeoutNanos = dataTimeoutNanos;
        this.dataDeadlineNanos = dataDeadlineNanos;
        this.nanosPerOctet = minDataRateBytesPerSec == 0 ? 0
                : Math.max(1, TimeUnit.SECONDS.toNanos(1) / minDataRateBytesPerSec);
    }

    /** The 354 went out: a fresh deadline and a full credit of {@code data_timeout}. */
    void start(long nowNanos) {
        startNanos = nowNanos;
        rateDeadlineNanos = nowNanos + dataTimeoutNanos;
        octetsCounted = 0;
    }

    /**
     * After a read: {@code octets} is the decoder's total for this DATA so far.
     *
     * @return true when new octets arrived
     */
    boolean received(long octets, long nowNanos) {
        long fresh = octets - octetsCounted;
        if (fresh <= 0) {
            return false;
        }
        octetsCounted = octets;
        if (nanosPerOctet > 0) {
            // Saturate: a large read at a low rate could overflow the product.
            long credit = fresh > Long.MAX_VALUE / nanosPerOctet ? Long.MAX_VALUE / 2 : fresh * nanosPerOctet;
            rateDeadlineNanos = Math.min(nowNanos + dataTimeoutNanos, rateDeadlineNanos + Math.min(credit,
                    dataTimeoutNanos));
        }
        return true;
    }

    /** When the whole DATA phase must have ended. */
    long deadlineNanos() {
        return startNanos + dataDeadlineNanos;
    }

    /** False when {@code min_data_rate} is 0: then only the idle timeout and the deadline apply. */
    boolean checksRate() {
        return nanosPerOctet > 0;
    }

    /** When the client's rate credit runs out (meaningful only when {@link #checksRate}). */
    long rateDeadlineNanos() {
        return rateDeadlineNanos;
    }
}
