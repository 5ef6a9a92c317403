package io.sluice.util;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit as the generic cell rate algorithm (GCRA, ITU-T I.371, "virtual scheduling") states it: events
 * {@code interval} apart, with a tolerance that lets a burst go back to back after a quiet period. One number of
 * state, the theoretical arrival time (TAT): an event at {@code now} conforms when {@code TAT - now <= tolerance},
 * and then moves the TAT one interval past {@code max(TAT, now - catchUp)}. Refused events change nothing.
 *
 * <p>Two uses: a quota ({@link #Gcra(long, long, long)}: {@code count} per period, bursts of up to {@code count}
 * at once), and a smooth rate ({@link #spaced}: a delivery path's message rate, evenly spaced, {@code burst} at
 * once at most). A caller that comes back in cycles (the scheduler sleeps up to a few milliseconds) is a little late
 * for each due time; {@code catchUp} lets it keep the cadence when it is at most that late (the next event is due
 * one interval after the last due time, not after the late call), so the long-run rate stays exact; after a longer
 * pause the cadence starts again from the caller's time (a pause earns nothing beyond the burst).
 *
 * <p>Thread-safe and allocation-free (a CAS loop on one {@link AtomicLong}), so event loops share one limiter per
 * key. Times are {@link System#nanoTime()}-like values on one scale, given by the caller.
 */
public final class Gcra {
    /** The most a late caller may be behind and keep the cadence ({@link #spaced}): 5 ms, or one interval. */
    public static final long MAX_CATCH_UP_NANOS = 5_000_000L;
    /**
     * The least catch-up: the resolution of the scheduler's clock (milliseconds). Without it, a rate faster than one
     * per millisecond would be held to its burst per tick of that clock; with it, a millisecond's worth of events may
     * go together, the long-run rate exact.
     */
    public static final long MIN_CATCH_UP_NANOS = 1_000_000L;

    private final long intervalNanos;
    private final long toleranceNanos;
    private final long catchUpNanos;
    private final AtomicLong tat;

    /** {@code count} events per {@code periodNanos}, bursts of up to {@code count}; both positive. */
    public Gcra(long count, long periodNanos, long nowNanos) {
        this(interval(count, periodNanos), periodNanos - interval(count, periodNanos), 0, nowNanos);
    }

    private Gcra(long intervalNanos, long toleranceNanos, long catchUpNanos, long nowNanos) {
        this.intervalNanos = intervalNanos;
        this.toleranceNanos = toleranceNanos;
        this.catchUpNanos = catchUpNanos;
        this.tat = new AtomicLong(nowNanos);
    }

    /**
     * Evenly spaced events {@code intervalNanos} apart, at most {@code burst} back to back, a late caller keeping
     * the cadence within one interval, at least {@link #MIN_CATCH_UP_NANOS} and at most {@link #MAX_CATCH_UP_NANOS}.
     */
    public static Gcra spaced(long intervalNanos, int burst, long nowNanos) {
        if (intervalNanos < 1 || burst < 1) {
            throw new IllegalArgumentException("interval and burst must be positive: " + intervalNanos + ", " + burst);
        }
        long catchUp = Math.max(MIN_CATCH_UP_NANOS, Math.min(intervalNanos, MAX_CATCH_UP_NANOS));
        return new Gcra(intervalNanos, intervalNanos * (burst - 1L), catchUp, nowNanos);
    }

    private static long interval(long count, long periodNanos) {
        if (count < 1 || periodNanos < 1) {
            throw new IllegalArgumentException("count and period must be positive");
        }
        return Math.max(1, periodNanos / count);
    }

    /** Takes one event at {@code nowNanos} if it conforms; returns whether it did. */
    public boolean tryAcquire(long nowNanos) {
        while (true) {
            long current = tat.get();
            if (current - nowNanos > toleranceNanos) {
                return false;
            }
            if (tat.compareAndSet(current, next(current, nowNanos))) {
                return true;
            }
        }
    }

    /** Records one event at {@code nowNanos} whether or not it conforms (after {@link #waitNanos} said 0). */
    public void take(long nowNanos) {
        while (true) {
            long current = tat.get();
            if (tat.compareAndSet(current, next(current, nowNanos))) {
                return;
            }
        }
    }

    /** How long from {@code nowNanos} until an event would conform; 0 when one would now. */
    public long waitNanos(long nowNanos) {
        return Math.max(0, tat.get() - nowNanos - toleranceNanos);
    }

    /**
     * The TAT after an event at {@code nowNanos}: a caller at most {@code catchUp} late keeps the cadence (from the
     * due time); after a longer pause the next interval counts from now (no extra event for the pause).
     */
    private long next(long current, long nowNanos) {
        return (current - (nowNanos - catchUpNanos) < 0 ? nowNanos : current) + intervalNanos;
    }
}
