package io.sluice.metrics;

/**
 * Why an MX resolution gave no usable host: the {@code kind} label of {@code sluice_dns_lookup_failures_total}.
 *
 * <p>Contract: a closed set (the daemon maps the resolver's own kinds onto it); the label text is the lower-case
 * constant name and never changes once released.
 */
public enum DnsFailure {
    /** The domain does not exist. */
    NXDOMAIN,
    /** SERVFAIL, REFUSED, timeout or a network error: retried later. */
    TEMPORARY,
    /** The domain publishes a null MX (RFC 7505). */
    NULL_MX,
    /** Every address found was loopback, private or our own. */
    REFUSED_PRIVATE,
    /** No usable MX host, or no host with an address. */
    NO_ADDRESS,
    /** The domain is not a valid DNS name. */
    BAD_NAME;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The Prometheus label value, e.g. {@code null_mx}. */
    public String label() {
        return label;
    }
}
