package io.sluice.config;

/**
 * Queue limits ({@code queue} in sluice.yaml).
 *
 * @param maxPendingRecipients above this many pending recipients, MAIL and RCPT get 452 4.3.1
 *                             ({@code max_pending_recipients}, default 5,000,000)
 */
public record QueueSettings(long maxPendingRecipients) {

    public static final long DEFAULT_MAX_PENDING_RECIPIENTS = 5_000_000L;
}
