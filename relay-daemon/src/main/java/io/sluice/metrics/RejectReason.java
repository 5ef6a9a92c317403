package io.sluice.metrics;

/**
 * Why the SMTP server refused a command or a message: the {@code reason} label of
 * {@code sluice_smtp_rejections_total}.
 *
 * <p>Contract: a fixed, closed set, so the label's cardinality is bounded by this enum whatever clients send. A new
 * refusal cause needs a new constant here (and a line in the metrics reference), never a free-form string. The
 * label text is the lower-case constant name and never changes once released, since dashboards and alerts match it.
 */
public enum RejectReason {
    /** RCPT to a domain we do not relay for, from a client that may not relay. */
    RELAY_DENIED,
    /** More RCPTs than {@code smtp.max_recipients} in one transaction. */
    TOO_MANY_RECIPIENTS,
    /** DATA larger than the advertised SIZE limit. */
    MESSAGE_TOO_BIG,
    /** A command or DATA line longer than the line limit. */
    LINE_TOO_LONG,
    /** A bare LF where only CRLF is allowed (SMTP smuggling guard). */
    BARE_LF,
    /** A NUL byte in a command or in DATA. */
    NUL,
    /** A known command with malformed arguments. */
    BAD_SYNTAX,
    /** A command verb we do not implement. */
    UNKNOWN_COMMAND,
    /** A command out of order (RCPT before MAIL, DATA without RCPT...). */
    BAD_SEQUENCE,
    /** AUTH with wrong credentials or a refused mechanism. */
    AUTH_FAILED,
    /** Too many Received headers: a mail loop. */
    HOP_LIMIT,
    /** 452 at MAIL/RCPT because pending recipients passed {@code queue.max_pending_recipients}. */
    BACK_PRESSURE_PENDING,
    /** 452 at MAIL/RCPT because the journal's disk passed {@code journal.min_free}. */
    BACK_PRESSURE_DISK,
    /** The journal could not take the message (append or sync failed). */
    JOURNAL_UNAVAILABLE,
    /** The session was closed after too many errors. */
    TOO_MANY_ERRORS,
    /**
     * The session was closed because the client was idle or too slow: {@code smtp.command_timeout} (idle or one
     * whole command), {@code data_timeout}, {@code data_deadline} or {@code min_data_rate}.
     */
    TIMEOUT,
    /**
     * The session had made no progress for {@code smtp.evict_stalled_after} and was closed to give its slot to a new
     * connection at {@code smtp.max_connections}.
     */
    STALLED_EVICTED,
    /** 452 at MAIL: the AUTH identity is over its {@code quotas[].max_rate}. */
    QUOTA_RATE,
    /** 452 at MAIL/RCPT: the AUTH identity has {@code quotas[].max_queued} recipients pending. */
    QUOTA_QUEUED,
    /** 550 5.7.1 at RCPT: the recipient is on the suppression list, on a listener with {@code suppressed: reject}. */
    SUPPRESSED,
    /** 550 5.7.1 at the end of DATA: no DKIM key covers the From domain, on a listener with {@code dkim_required}. */
    DKIM_REQUIRED,
    /** 451 4.3.0 at the end of DATA: the DKIM signing threads' queue was full. */
    DKIM_BUSY;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The Prometheus label value, e.g. {@code relay_denied}. */
    public String label() {
        return label;
    }
}
