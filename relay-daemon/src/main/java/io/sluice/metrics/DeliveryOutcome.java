package io.sluice.metrics;

/**
 * What a delivery decision was for one recipient: the {@code outcome} label of {@code sluice_deliveries_total}.
 *
 * <p>Contract: a closed set; the label text is the lower-case constant name and never changes once released.
 */
public enum DeliveryOutcome {
    /** The next hop accepted the recipient. */
    DELIVERED,
    /** A temporary failure; the recipient will be retried. */
    DEFERRED,
    /** A permanent failure; final. */
    BOUNCED,
    /** {@code delivery.max_age} reached without success; final. */
    EXPIRED;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The Prometheus label value, e.g. {@code delivered}. */
    public String label() {
        return label;
    }
}
