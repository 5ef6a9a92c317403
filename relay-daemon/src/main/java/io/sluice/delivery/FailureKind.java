package io.sluice.delivery;

/**
 * Why a connection attempt or a transaction did not get a reply for every step. All kinds are temporary for the
 * message (docs/architecture.md "Retries and health": connection trouble means next MX, then retry); the caller decides
 * what else to remember (e.g. {@link #TLS_FAILED}: retry this site in clear text for a while).
 */
public enum FailureKind {
    /** TCP connect refused, unreachable, or the bind address could not be used. */
    CONNECT_FAILED,
    /** No reply (or no connect, or no write progress) within the stage's RFC 5321 4.5.3.2 timeout. */
    TIMEOUT,
    /** The greeting was not 220 (typically 421 or 554); {@link OutboundException#reply()} has it. */
    GREETING_REJECTED,
    /** EHLO failed with 4xx, or both EHLO (5xx) and the HELO fallback failed. */
    HELO_REJECTED,
    /** The STARTTLS handshake failed (bad record, protocol or cipher mismatch, closed, timed out). */
    TLS_FAILED,
    /** {@code tls: required} and the next hop offers no STARTTLS, refuses it, or only speaks HELO. */
    TLS_UNAVAILABLE,
    /**
     * {@code tls: verify} and the next hop's certificate does not validate against the trust store or does not name
     * the host: never retried in clear text.
     */
    TLS_UNVERIFIED,
    /**
     * A smarthost did not take our AUTH: credentials refused (535), no mechanism in common (PLAIN, LOGIN), or a
     * malformed exchange.
     */
    AUTH_FAILED,
    /** The connection closed, an I/O error occurred, or the server said 421 mid-session. */
    CONNECTION_LOST,
    /** The next hop broke the protocol: malformed reply, unexpected code, data after the STARTTLS 220. */
    PROTOCOL_ERROR,
    /**
     * The final dot was sent but its reply never came (timeout or connection lost): the next hop may or may not
     * have taken the message. The caller applies {@code delivery.assume_delivered_on_dot_timeout}.
     */
    UNKNOWN_AFTER_DOT
}
