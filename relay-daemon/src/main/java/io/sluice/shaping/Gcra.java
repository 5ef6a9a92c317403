package io.sluice.shaping;

/**
 * A message-rate limiter by the generic cell rate algorithm (GCRA, ITU-T I.371; the "virtual scheduling" form): one
 * number, the theoretical arrival time of the next event ({@code tat}), says when the next event conforms. Events are
 * spaced evenly, {@code interval} apart, so a rate of 100/s is one every 10 ms, never 100 in the first millisecond
 * of a second; {@code burst} events may go back to back after a pause long enough to have earned them.
 *
 * <p>Late callers: the scheduler that asks runs in cycles and sleeps up to a few milliseconds, so it comes back a
 * little after the due time. To keep the long-run rate exact, a caller up to {@code catchUp} late keeps the
 * cadence (the next event is due one interval after the last due time, not after the late call), which may let one
 * event go up to {@code catchUp} early after a pause; beyond that, the pause is not banked (burst aside).
 *
 * <p>Pure and allocation-free: no clock (the caller passes nanoseconds on one monotonic scale), no locking; owned by
 * one thread.
 */
public final class Gcra {
    private final long interval;
    private final long tolerance;
    private final long catchUp;
    /** When the next event conforms (without tolerance); Long.MIN_VALUE before the first event. */
    private long tat = Long.MIN_VALUE;

    /**
     * @param intervalNanos time between two events at the rate (period / count), at least 1
     * @param burst         events that may go back to back after a long enough pause, at least 1
     */
    public Gcra(long intervalNanos, int burst) {
        if (intervalNanos < 1 || burst < 1) {
            throw new IllegalArgumentException("interval and burst must be positive: " + intervalNanos + ", " + burst);
        }
        this.interval = intervalNanos;
        this.tolerance = intervalNanos * (burst - 1L);
        this.catchUp = Math.min(intervalNanos, MAX_CATCH_UP_NANOS);
    }

    /** The most a late caller may be behind and still keep the cadence: 5 ms (or one interval when shorter). */
    public static final long MAX_CATCH_UP_NANOS = 5_000_000L;

    /** Nanoseconds until an event conforms at {@code nowNanos}; 0 when one may go now. Does not take it. */
    public long waitNanos(long nowNanos) {
        if (tat == Long.MIN_VALUE) {
            return 0;
        }
        long earliest = tat - tolerance;
        return earliest - nowNanos > 0 ? earliest - nowNanos : 0;
    }

    /** Records one event at {@code nowNanos} (after {@link #waitNanos} said 0). */
    public void take(long nowNanos) {
        if (tat == Long.MIN_VALUE) {
            tat = nowNanos + interval;
        } else {
            long lateBound = nowNanos - catchUp;
            tat = (tat - lateBound < 0 ? lateBound : tat) + interval;
        }
    }

    /** Nanoseconds between events. */
    public long intervalNanos() {
        return interval;
    }
}
