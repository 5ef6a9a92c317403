package io.sluice.smtp.server;

/**
 * Why ingress refused a command, message or connection. A fixed set, so metric labels stay bounded; the label is
 * the lower-case name.
 */
public enum Rejection {
    RELAY_DENIED, TOO_MANY_RECIPIENTS, MESSAGE_TOO_BIG, LINE_TOO_LONG, BARE_LINE_ENDING, NUL, BAD_SYNTAX,
    UNKNOWN_COMMAND, BAD_SEQUENCE, AUTH_FAILED, HOP_LIMIT, BACK_PRESSURE_PENDING, BACK_PRESSURE_DISK,
    JOURNAL_UNAVAILABLE, TOO_MANY_ERRORS, TIMEOUT, TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS_PER_IP, SHUTTING_DOWN,
    STALLED_EVICTED, QUOTA_RATE, QUOTA_QUEUED, SUPPRESSED, DKIM_REQUIRED,
    DKIM_BUSY;

    /** Why message text that did not complete cleanly was refused. */
    static Rejection forDataResult(io.sluice.smtp.codec.DataResult result) {
        switch (result) {
            case TOO_BIG:
                return MESSAGE_TOO_BIG;
            case LINE_TOO_LONG:
                return LINE_TOO_LONG;
            case BARE_LINE_ENDING:
                return BARE_LINE_ENDING;
            case NUL:
                return NUL;
            default:
                throw new IllegalArgumentException("not a refusal: " + result);
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
