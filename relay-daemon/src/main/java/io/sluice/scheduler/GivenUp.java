package io.sluice.scheduler;

import io.sluice.model.BounceReason;

/**
 * One recipient the scheduler gave up on, handed to a {@link BounceSink} that writes its OUTCOME (after any DSN).
 * Immutable; created only on the give-up path (bounces and expiries are not the hot path).
 *
 * @param messageId      the message
 * @param bodiesIndex    where its ACCEPTED record was when the scheduler learnt of it (journal compaction may
 *                       have moved it since; readers resolve the id, not only the index)
 * @param recipientIndex the recipient's index in the message's envelope
 * @param recipient      the recipient's address
 * @param expired        true for {@code delivery.max_age} expiry, false for a permanent failure
 * @param code           the SMTP reply code that decided it (for an expiry: the last temporary failure's); 0 for
 *                       failures without a reply and an expiry with no failure remembered (then {@code 4.4.7})
 * @param enhancedStatus the RFC 3463 status, e.g. {@code 5.1.1}
 * @param text           the reply text or the reason (for an expiry: the last temporary failure's, when remembered)
 * @param mxHost         the MX host whose reply decided it; null when Sluice decided it itself (DNS, no session,
 *                       SIZE or SMTPUTF8 refused locally, connection trouble), so DSNs never say "mx said" for it
 * @param attempts       delivery attempts made so far
 * @param timeMillis     when the scheduler gave up (epoch ms), the OUTCOME's time
 * @param reason         the bounce reason the OUTCOME carries ({@code expired} for an expiry)
 * @param hard           the address itself is bad: suppressed once the OUTCOME is durable
 * @param dsn            the sender gets a DSN for it (when the sender is not null); false on a VERP route, whose
 *                       bounces go to the feedback listener, not back to the sender (no backscatter)
 */
public record GivenUp(long messageId, long bodiesIndex, int recipientIndex, String recipient, boolean expired,
                      int code, String enhancedStatus, String text, String mxHost, int attempts, long timeMillis,
                      BounceReason reason, boolean hard, boolean dsn) {
    /** The reason of an expiry for which the scheduler remembers no failure (none since it started). */
    public static final String EXPIRED_TEXT = "Message expired: max_age reached";

    public GivenUp {
        reason = reason != null ? reason : expired ? BounceReason.EXPIRED : BounceReason.UNDEFINED;
    }

    /** A give-up without a classified reason: {@code expired} for an expiry, else {@code undefined}; not hard. */
    public GivenUp(long messageId, long bodiesIndex, int recipientIndex, String recipient, boolean expired, int code,
                   String enhancedStatus, String text, String mxHost, int attempts, long timeMillis) {
        this(messageId, bodiesIndex, recipientIndex, recipient, expired, code, enhancedStatus, text, mxHost, attempts,
                timeMillis, null, false, true);
    }

    /** A give-up whose sender gets a DSN (no VERP). */
    public GivenUp(long messageId, long bodiesIndex, int recipientIndex, String recipient, boolean expired, int code,
                   String enhancedStatus, String text, String mxHost, int attempts, long timeMillis,
                   BounceReason reason, boolean hard) {
        this(messageId, bodiesIndex, recipientIndex, recipient, expired, code, enhancedStatus, text, mxHost, attempts,
                timeMillis, reason, hard, true);
    }

    /**
     * An expiry after attempts whose last failure the scheduler does not know (it restarted since): the journal's
     * newest DEFERRED record of the recipient has it.
     */
    public boolean lastReplyUnknown() {
        return expired && attempts > 0 && code == 0 && mxHost == null && EXPIRED_TEXT.equals(text);
    }

    /** This expiry with the last failure found in the journal; {@code mx} null when Sluice decided it. */
    public GivenUp withLastReply(int replyCode, String status, String replyText, String mx) {
        return new GivenUp(messageId, bodiesIndex, recipientIndex, recipient, expired, replyCode, status, replyText, mx,
                attempts, timeMillis, reason, hard, dsn);
    }
}
