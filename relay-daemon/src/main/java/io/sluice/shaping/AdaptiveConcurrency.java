package io.sluice.shaping;

/**
 * The concurrency window of one delivery path (docs/architecture.md "Adaptive concurrency"): how many deliveries may be
 * in flight to it now, between 1 and the path's cap. A path starts with a small window and earns the rest, after
 * Postfix's destination concurrency scheduler ({@code initial_destination_concurrency = 5}; qmgr_feedback.c): each
 * successful connection widens the window by one, each failed connection (refused, timed out, greeted with 421)
 * halves it. So a site nobody has reached yet, or one that stopped answering, holds at most a few connections and
 * slots while it is tried, and a healthy site opens up to its cap within a few deliveries.
 *
 * <p>Constants: {@link #INITIAL} = 5; +1 per transaction that delivered something, up to the path policy's cap;
 * -1 per transaction whose every recipient the path deferred with a 4xx of its own ({@link #deferred}); halved per
 * failed connection; 1 when a dead path's probe got in ({@link #revived}). A reload's lower cap shrinks it at once
 * ({@link #limit}).
 *
 * <p>Pure policy: no clock, no I/O, allocation-free; owned by one thread (the scheduler's).
 */
public final class AdaptiveConcurrency {
    /** The window of a path not tried yet (Postfix's {@code initial_destination_concurrency}). */
    public static final int INITIAL = 5;

    private int max;
    private int window;

    /** @param max the path's cap, at least 1 (e.g. {@code delivery.max_connections_per_site}) */
    public AdaptiveConcurrency(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max concurrency must be >= 1: " + max);
        }
        this.max = max;
        this.window = Math.min(INITIAL, max);
    }

    /**
     * A new cap (a reload): the window shrinks to it at once when above (deliveries already in flight finish) and
     * may grow to it by the usual steps.
     */
    public void limit(int nextMax) {
        if (nextMax < 1) {
            throw new IllegalArgumentException("max concurrency must be >= 1: " + nextMax);
        }
        this.max = nextMax;
        this.window = Math.min(window, nextMax);
    }

    /** Deliveries that may be in flight now, 1 to the cap. */
    public int window() {
        return window;
    }

    /** A transaction on the path delivered (or the connection got in): one more may run at once, up to the cap. */
    public void connected() {
        if (window < max) {
            window++;
        }
    }

    /**
     * The path let us in but deferred every recipient of a transaction (a 4xx reply from it, e.g. "try again later",
     * "too many messages"): one fewer may run at once, at least one. Gentler than a failed connection: the path is
     * up, and says it is busy.
     */
    public void deferred() {
        window = Math.max(1, window - 1);
    }

    /** A connection to the path failed: half as many may run at once, at least one. */
    public void connectFailed() {
        window = Math.max(1, window / 2);
    }

    /** A dead path came back (its probe connected): it starts again from one connection and earns the rest. */
    public void revived() {
        window = 1;
    }
}
