package io.sluice.util;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit as the generic cell rate algorithm (GCRA) states it: {@code count} events per {@code periodNanos},
 * with bursts of up to {@code count} at once after a quiet period. One number of state, the theoretical arrival
 * time (TAT): an event at {@code now} conforms when {@code max(TAT, now) - now <= period - interval}, and then moves
 * the TAT one interval ({@code period / count}) later. Refused events change nothing.
 *
 * <p>Thread-safe and allocation-free (a CAS loop on one {@link AtomicLong}), so event loops share one limiter per
 * key. Times are {@link System#nanoTime()} values, given by the caller.
 */
public final class Gcra {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final AtomicLong tat;

    /** {@code count} events per {@code periodNanos}; both positive. */
    public Gcra(long count, long periodNanos, long nowNanos) {
        if (count < 1 || periodNanos < 1) {
            throw new IllegalArgumentException("count and period must be positive");
        }
        this.intervalNanos = Math.max(1, periodNanos / count);
        this.toleranceNanos = periodNanos - intervalNanos;
        this.tat = new AtomicLong(nowNanos);
    }

    /** Takes one event at {@code nowNanos} if it conforms; returns whether it did. */
    public boolean tryAcquire(long nowNanos) {
        while (true) {
            long current = tat.get();
            long base = current - nowNanos > 0 ? current : nowNanos;
            if (base - nowNanos > toleranceNanos) {
                return false;
            }
            if (tat.compareAndSet(current, base + intervalNanos)) {
                return true;
            }
        }
    }

    /** How long from {@code nowNanos} until an event would conform; 0 when one would now. */
    public long waitNanos(long nowNanos) {
        long current = tat.get();
        long base = current - nowNanos > 0 ? current : nowNanos;
        return Math.max(0, base - nowNanos - toleranceNanos);
    }
}
