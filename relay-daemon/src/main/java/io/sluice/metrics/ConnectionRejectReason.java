package io.sluice.metrics;

/**
 * Why a listener refused a TCP connection before any SMTP dialogue: the {@code reason} label of
 * {@code sluice_connections_rejected_total}.
 *
 * <p>Contract: a fixed set (bounded label cardinality); the label is the lower-case constant name and is stable.
 */
public enum ConnectionRejectReason {
    /** The listener is at its {@code max_connections}. */
    TOO_MANY,
    /** The client address is at its per-IP connection cap. */
    TOO_MANY_PER_IP,
    /** The daemon is shutting down and no longer takes sessions. */
    SHUTTING_DOWN;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The Prometheus label value, e.g. {@code too_many_per_ip}. */
    public String label() {
        return label;
    }
}
