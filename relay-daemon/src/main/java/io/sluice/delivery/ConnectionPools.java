package io.sluice.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The {@link ConnectionPool}s by key, one per (source, site) ready queue; the key type is the caller's (a record of
 * source and site, or a string). Pools are made on first use and live until {@link #remove} or {@link #close()}.
 *
 * <p>Inputs: which connector serves a key (its settings carry the source's bind address and EHLO name), the timer
 * for idle sweeps, and optionally the path policy's limits per key ({@link Limits}; without them a pool takes its
 * connector's {@code max_connections_per_site} and {@code max_deliveries_per_connection}). {@link #reloadLimits}
 * hands every pool its limits again (a reload). Threading: thread-safe; {@link #pool} is a lock-free lookup after
 * the first call for a key.
 */
public final class ConnectionPools<K> {
    /** A pool's limits as the path policy decides them for its key. */
    public interface Limits<K> {
        int connections(K key);

        int deliveriesPerConnection(K key);

        /** New connections per {@link #connectionRatePeriodNanos}; 0 for no rate. */
        default long connectionRateCount(K key) {
            return 0;
        }

        default long connectionRatePeriodNanos(K key) {
            return 1;
        }

        default int connectionRateBurst(K key) {
            return 1;
        }

        /** The cap this key's pool shares with others (a provider's total over all sources), or null. */
        default SharedConnectionCap shared(K key) {
            return null;
        }
    }

    private final Function<? super K, OutboundConnector> connectors;
    private final ScheduledExecutorService timer;
    private final Limits<K> limits;
    private final ConcurrentHashMap<K, ConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Pools whose limits come from their connector's settings. */
    public ConnectionPools(Function<? super K, OutboundConnector> connectors, ScheduledExecutorService timer) {
        this(connectors, timer, null);
    }

    /**
     * @param connectors the connector for a key's source
     * @param timer      idle sweeps
     * @param limits     the path policy's limits per key; null: the connector's settings
     */
    public ConnectionPools(Function<? super K, OutboundConnector> connectors, ScheduledExecutorService timer,
                           Limits<K> limits) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.limits = limits;
    }

    /** The pool for {@code key}, made on first use. Throws {@link IllegalStateException} after {@link #close()}. */
    public ConnectionPool pool(K key) {
        ConnectionPool pool = pools.get(key);
        if (pool != null) {
            return pool;
        }
        if (closed) {
            throw new IllegalStateException("connection pools closed");
        }
        return pools.computeIfAbsent(key, k -> {
            ConnectionPool made = new ConnectionPool(String.valueOf(k), connectors.apply(k), timer);
            if (limits != null) {
                apply(made, k);
            }
            return made;
        });
    }

    /**
     * Every pool takes its limits and its connector again (after a reload: the path policy may give a path other
     * limits, TLS or idle timeout); without {@link Limits}, only the connector.
     */
    public void reloadLimits() {
        pools.forEach((k, pool) -> {
            pool.connector(connectors.apply(k));
            if (limits != null) {
                apply(pool, k);
            }
        });
    }

    private void apply(ConnectionPool pool, K k) {
        pool.shareCap(limits.shared(k));
        pool.limits(limits.connections(k), limits.deliveriesPerConnection(k));
        pool.connectionRate(limits.connectionRateCount(k), limits.connectionRatePeriodNanos(k),
                limits.connectionRateBurst(k));
    }

    /** The pool for {@code key} if one exists, else null. */
    public ConnectionPool existing(K key) {
        return pools.get(key);
    }

    /** Forgets the pool of {@code key} and closes it (e.g. a site that is gone); completes when idle ones closed. */
    public CompletableFuture<Void> remove(K key) {
        ConnectionPool pool = pools.remove(key);
        return pool == null ? CompletableFuture.completedFuture(null) : pool.close();
    }

    public int size() {
        return pools.size();
    }

    /** Established connections over all pools (for the connections-open gauge). */
    public int openConnections() {
        int open = 0;
        for (ConnectionPool pool : pools.values()) {
            open += pool.open();
        }
        return open;
    }

    /** Closes every pool; completes when their idle connections are closed. */
    public CompletableFuture<Void> close() {
        closed = true;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (K key : new ArrayList<>(pools.keySet())) {
            all.add(remove(key));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }
}
