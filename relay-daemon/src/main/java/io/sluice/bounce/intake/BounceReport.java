package io.sluice.bounce.intake;

import java.util.List;

/**
 * What a message received at the feedback address says, before classification.
 *
 * @param kind              what sort of report it is
 * @param recipients        the recipients it is about, in the order it lists them; empty for {@link Kind#NOT_A_BOUNCE}
 * @param originalMessageId the Message-ID of the returned original message (with angle brackets), "" when the report
 *                          carries no copy of its headers
 * @param feedbackType      for a complaint, the ARF Feedback-Type ({@code abuse}, {@code opt-out}, ...); "" otherwise
 * @param notice            the human-readable notice, white space collapsed, at most {@link #MAX_NOTICE} characters:
 *                          what the classifier falls back to when a recipient's own text says nothing it knows
 */
public record BounceReport(Kind kind, List<BouncedRecipient> recipients, String originalMessageId,
                           String feedbackType, String notice) {
    public static final int MAX_NOTICE = 8192;

    public BounceReport {
        recipients = List.copyOf(recipients);
        notice = notice == null ? "" : notice.length() > MAX_NOTICE ? notice.substring(0, MAX_NOTICE) : notice;
    }

    /** Nothing usable. */
    static BounceReport none(String originalMessageId) {
        return new BounceReport(Kind.NOT_A_BOUNCE, List.of(), originalMessageId, "", "");
    }

    /** The sorts of report. */
    public enum Kind {
        /** An RFC 3464 delivery status notification. */
        DSN,
        /** A bounce in one of the many non-standard text formats. */
        TEXT_BOUNCE,
        /** An RFC 5965 (ARF) complaint or other feedback report. */
        COMPLAINT,
        /** An RFC 3834 automatic reply (vacation, out of office). */
        AUTO_REPLY,
        /** Nothing a bounce or complaint parser can use. */
        NOT_A_BOUNCE
    }
}
