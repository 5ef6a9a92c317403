package io.sluice.events;

/** What happened to a message or recipient; the JSON {@code type} field is the lower-case name. */
public enum EventType {
    /** Acknowledged with 250 and journaled (one event per message). */
    RECEIVED,
    /** A delivery attempt to an MX host started. */
    ATTEMPT,
    /** The next hop accepted the recipient (2xx after the final dot). */
    DELIVERED,
    /** A temporary failure; the recipient will be retried. */
    DEFERRED,
    /** A permanent failure; the recipient is final. */
    BOUNCED,
    /** The recipient reached delivery.max_age without success; final. */
    EXPIRED,
    /** The recipient is on the suppression list: final without an attempt (OUTCOME suppressed). */
    SUPPRESSED,
    /** An operator's command through the admin API (flush, suspend, resume, hold, release, bounce). */
    ADMIN,
    /** A smarthost's circuit breaker changed state: {@code open}, {@code half-open} (its probe) or {@code closed}. */
    CIRCUIT,
    /** A traffic-shaping action was {@code applied} to a path by a reply rule, {@code expired} or was {@code lifted}. */
    SHAPING,
    /** A bounce that came back later to the feedback listener, matched to the recipient it is about. */
    ASYNC_BOUNCE,
    /** A complaint (ARF report) matched to the recipient who complained. */
    COMPLAINT,
    /** A recipient unsubscribed: a one-click POST (RFC 8058) or a mail to the unsubscribe address. */
    UNSUBSCRIBE;

    /** The lower-case name, computed once (it is written into every event). */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
