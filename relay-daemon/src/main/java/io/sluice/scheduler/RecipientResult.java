package io.sluice.scheduler;

import io.sluice.model.BounceReason;

/**
 * What happened to one recipient of a {@link DeliveryTask}, as the delivery stage reports it.
 *
 * @param kind           DELIVERED (2xx after the dot), TEMPORARY (4xx or connection trouble: retry), PERMANENT (5xx)
 * @param code           SMTP reply code; 0 when there was no reply (connection failure); at most 999
 * @param enhancedStatus RFC 3463 status (may be null when the server sent none)
 * @param text           reply text (may be null)
 * @param local          true when Sluice decided it without a reply from the next hop saying so (connection trouble,
 *                       SIZE exceeded, SMTPUTF8 not offered): DSNs then report it as Sluice's own reason, not as the
 *                       MX host's; always true for code 0
 * @param reason         why it failed (the bounce classifier's verdict, decided off the scheduler thread);
 *                       {@code delivered} for a delivery, {@code undefined} when not classified
 * @param hard           the address itself is bad (suppress it once the recipient bounces)
 */
public record RecipientResult(Kind kind, int code, String enhancedStatus, String text, boolean local,
                              BounceReason reason, boolean hard) {

    /** Final or not. */
    public enum Kind { DELIVERED, TEMPORARY, PERMANENT }

    private static final RecipientResult DELIVERED = new RecipientResult(Kind.DELIVERED, 250, null, null, false);

    public RecipientResult {
        if (kind == null || code < 0 || code > 999) {
            throw new IllegalArgumentException("bad recipient result: " + kind + " " + code);
        }
        local = local || code == 0;
        reason = reason != null ? reason : kind == Kind.DELIVERED ? BounceReason.DELIVERED : BounceReason.UNDEFINED;
    }

    /** A result not classified (yet): reason {@code delivered} or {@code undefined}, not hard. */
    public RecipientResult(Kind kind, int code, String enhancedStatus, String text, boolean local) {
        this(kind, code, enhancedStatus, text, local, null, false);
    }

    /** This result with the classifier's verdict. */
    public RecipientResult classified(BounceReason why, boolean isHard) {
        return new RecipientResult(kind, code, enhancedStatus, text, local, why, isHard);
    }

    public static RecipientResult delivered() {
        return DELIVERED;
    }

    /** Delivered, with the reply the next hop gave after the final dot (for the event log). */
    public static RecipientResult delivered(int code, String enhancedStatus, String text) {
        return new RecipientResult(Kind.DELIVERED, code, enhancedStatus, text, false);
    }

    /** A temporary failure without an enhanced status; Sluice's own when {@code code} is 0. */
    public static RecipientResult temporary(int code, String text) {
        return new RecipientResult(Kind.TEMPORARY, code, null, text, false);
    }

    /** A temporary failure; {@code local} when Sluice made the reply up. */
    public static RecipientResult temporary(int code, String enhancedStatus, String text, boolean local) {
        return new RecipientResult(Kind.TEMPORARY, code, enhancedStatus, text, local);
    }

    /** A permanent failure the next hop replied. */
    public static RecipientResult permanent(int code, String enhancedStatus, String text) {
        return new RecipientResult(Kind.PERMANENT, code, enhancedStatus, text, false);
    }

    /** A permanent failure; {@code local} when Sluice made the reply up (SIZE, SMTPUTF8). */
    public static RecipientResult permanent(int code, String enhancedStatus, String text, boolean local) {
        return new RecipientResult(Kind.PERMANENT, code, enhancedStatus, text, local);
    }
}
