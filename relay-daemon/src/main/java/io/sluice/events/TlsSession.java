package io.sluice.events;

/**
 * How one outbound SMTP session was protected, for the {@code attempt} and {@code delivered} events and the
 * {@code sluice_deliveries_tls_total} metric: no TLS ({@link #NONE}), or STARTTLS with its protocol version and
 * cipher suite, and whether the peer was verified: its certificate chain validated against the trust store and
 * names the MX host (opportunistic TLS never fails over it; see {@code delivery.OpportunisticTls}). Immutable; one per TLS connection, shared by its events.
 *
 * @param version  the protocol, e.g. {@code TLSv1.3}; null for {@link #NONE}
 * @param cipher   the cipher suite, e.g. {@code TLS_AES_256_GCM_SHA384}; null for {@link #NONE}
 * @param verified the peer chain validated and its certificate names the host connected to
 */
public record TlsSession(String version, String cipher, boolean verified) {
    /** A session in clear text. */
    public static final TlsSession NONE = new TlsSession(null, null, false);

    /** {@code none}, {@code encrypted} (TLS, peer not verified) or {@code verified}: the metric's label. */
    public String state() {
        return version == null ? "none" : verified ? "verified" : "encrypted";
    }
}
