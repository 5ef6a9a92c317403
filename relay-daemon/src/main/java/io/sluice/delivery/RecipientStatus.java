package io.sluice.delivery;

/** The fate of one recipient in a {@link TransactionResult}. */
public enum RecipientStatus {
    /** 2xx to the final dot. */
    DELIVERED,
    /** 4xx, or the connection failed before the next hop took the message: try again later. */
    TEMPORARY,
    /** 5xx (from the next hop, or a local 5.6.7 / 5.3.4): do not try again. */
    PERMANENT,
    /**
     * Accepted, the final dot sent, its reply never came: maybe delivered (the caller applies
     * {@code assume_delivered_on_dot_timeout}).
     */
    UNKNOWN
}
