package io.sluice.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out message numbers to connection slots and says when each message is meant to start.
 *
 * <p>Closed loop ({@code ratePerSecond == 0}): a slot takes the next number as soon as it is free; the intended
 * start is the moment of the claim. Open loop: message {@code i} is intended to start at
 * {@code origin + i / rate}; a free slot claims the next number and waits until then, so when every slot is busy
 * messages start late, and that lateness is charged to their latency (coordinated omission is not hidden). The
 * origin is the first claim, so connection set-up does not count as lateness; the measured messages get an origin
 * of their own (the first measured claim), so a backlog built up during a cold warm-up is not charged to them.
 *
 * <p>Numbers {@code 0 .. warmup-1} are warm-up. Threading: {@link #claim} is called from every event loop
 * (one atomic increment); {@link #stop()} from any thread. Limits: at most {@code total} claims succeed.
 */
public final class MessageSchedule {

    /** Returned by {@link #claim} when every message has been handed out or the run is stopping. */
    public static final long NONE = -1;

    private final long total;
    private final long warmup;
    private final double nanosPerMessage;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong originNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong measuredOriginNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean stopped;

    /**
     * @param total         warm-up plus measured messages
     * @param warmup        leading messages left out of the figures
     * @param ratePerSecond 0 for closed loop, else the overall open-loop rate
     */
    public MessageSchedule(long total, long warmup, double ratePerSecond) {
        this.total = total;
        this.warmup = warmup;
        this.nanosPerMessage = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
    }

    /**
     * @param nowNanos {@link System#nanoTime()} of the caller
     * @return the claimed message number, or {@link #NONE}
     */
    public long claim(long nowNanos) {
        if (stopped) {
            return NONE;
        }
        long n = next.getAndIncrement();
        if (n >= total) {
            return NONE;
        }
        originNanos.compareAndSet(Long.MIN_VALUE, nowNanos);
        if (n >= warmup) {
            measuredOriginNanos.compareAndSet(Long.MIN_VALUE, nowNanos);
        }
        return n;
    }

    /** @return when message {@code n} should start; for closed loop the caller uses its claim time instead */
    public long intendedStartNanos(long n) {
        if (n < warmup) {
            return originNanos.get() + (long) (n * nanosPerMessage);
        }
        return measuredOriginNanos.get() + (long) ((n - warmup) * nanosPerMessage);
    }

    public boolean openLoop() {
        return nanosPerMessage > 0;
    }

    public boolean isWarmup(long n) {
        return n < warmup;
    }

    /** @return how many numbers were handed out (at most total) */
    public long claimed() {
        return Math.min(next.get(), total);
    }

    /** Stops handing out numbers; called on timeout. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }
}
