package io.sluice.shaping;

import io.sluice.config.DeliverySettings;
import io.sluice.dns.SiteKey;
import java.util.Objects;

/**
 * The one authority on a delivery path's limits (DESIGN "Egress: routes, pools, ready queues, shaping"): how many
 * connections a path, a (source, site) or (source, smarthost) ready queue, may have, and how many transactions one
 * connection may carry. Nothing else decides them: the scheduler caps each path's concurrency window with
 * {@link #connections} (and that window is the only thing that limits deliveries in flight: one connection each),
 * and the path's connection pool keeps its open connections, leased and idle, within the same number (closing an idle
 * one to make room) and retires a connection after {@link #deliveriesPerConnection} transactions.
 *
 * <p>Today every path gets {@code delivery.max_connections_per_site} and {@code delivery.max_deliveries_per_connection};
 * the keys say which path is asked about so that per-provider and per-source limits (traffic shaping) change this
 * class, not its callers. Immutable and thread-safe; a reload builds a new one ({@link #from}).
 */
public final class PathPolicy {
    private final int connections;
    private final int deliveriesPerConnection;

    private PathPolicy(int connections, int deliveriesPerConnection) {
        if (connections < 1 || deliveriesPerConnection < 1) {
            throw new IllegalArgumentException("path limits must be positive: " + connections + ", "
                    + deliveriesPerConnection);
        }
        this.connections = connections;
        this.deliveriesPerConnection = deliveriesPerConnection;
    }

    /** The same limits for every path (tests; a scheduler built without settings). */
    public static PathPolicy uniform(int connections, int deliveriesPerConnection) {
        return new PathPolicy(connections, deliveriesPerConnection);
    }

    /** The limits of a settings snapshot's {@code delivery} section. */
    public static PathPolicy from(DeliverySettings delivery) {
        Objects.requireNonNull(delivery, "delivery");
        return new PathPolicy(delivery.maxConnectionsPerSite(), delivery.maxDeliveriesPerConnection());
    }

    /** Connections (and so deliveries in flight) the path of {@code source} to {@code site} may have at once. */
    public int connections(String source, SiteKey site) {
        return connections;
    }

    /** Transactions one connection of the path may carry before it is closed. */
    public int deliveriesPerConnection(String source, SiteKey site) {
        return deliveriesPerConnection;
    }
}
