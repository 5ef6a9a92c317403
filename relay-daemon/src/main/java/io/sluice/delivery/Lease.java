package io.sluice.delivery;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection lent by a {@link ConnectionPool} to one caller for one or more mail transactions.
 *
 * <p>Use: {@link #connection()}{@code .send(...)}, and once the last send future has completed, exactly one of
 * {@link #release()} (give it back; the pool decides whether to keep it) or {@link #discard()} (close it). A second
 * call of either throws {@link IllegalStateException}, so a slot is never returned twice. Releasing while a send is
 * still running is a caller bug; the pool then finds the connection busy at the next RSET and drops it.
 *
 * <p>Threading: may be released from any thread (typically the event loop that completed the send).
 */
public final class Lease {
    private final ConnectionPool pool;
    private final ConnectionPool.Pooled pooled;
    private final boolean reused;
    private final AtomicBoolean returned = new AtomicBoolean();

    Lease(ConnectionPool pool, ConnectionPool.Pooled pooled, boolean reused) {
        this.pool = pool;
        this.pooled = pooled;
        this.reused = reused;
    }

    public OutboundConnection connection() {
        return pooled.connection;
    }

    /** True when the connection had served an earlier lease (and passed RSET), false when opened for this one. */
    public boolean reused() {
        return reused;
    }

    /**
     * Gives the connection back: kept idle for reuse unless it is unusable, has reached
     * {@code max_deliveries_per_connection} or {@code connection_max_age}, or the pool is closed; then it is closed
     * (QUIT, or abort when broken).
     */
    public void release() {
        markReturned();
        pool.release(pooled, true);
    }

    /** Closes the connection (QUIT, or abort when broken) and frees its slot. */
    public void discard() {
        markReturned();
        pool.release(pooled, false);
    }

    private void markReturned() {
        if (!returned.compareAndSet(false, true)) {
            throw new IllegalStateException("lease of " + pooled.connection + " already returned");
        }
    }

    @Override
    public String toString() {
        return "Lease[" + pooled.connection + (reused ? ", reused" : "") + "]";
    }
}
