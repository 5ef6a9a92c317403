package io.sluice.bounce;

import java.util.Objects;

/**
 * One recipient's part of a delivery status notification (RFC 3464 2.3).
 *
 * @param recipient  the envelope recipient address as it was accepted
 * @param action     what happened to it
 * @param status     the enhanced status code (RFC 3463), e.g. {@code 5.1.1}
 * @param remoteMta  the MX host that gave the reply, or null when the reason is Sluice's own (DNS failure, SIZE or
 *                   SMTPUTF8 refused locally, connection trouble, expiry before any reply)
 * @param diagnostic the remote reply line(s) joined with spaces, e.g. {@code 550 5.1.1 user unknown}, or our own
 *                   explanation for failures without a remote reply; null when none
 */
public record RecipientStatus(String recipient, Action action, String status, String remoteMta, String diagnostic) {

    /** The RFC 3464 2.3.3 {@code Action} values Sluice reports. */
    public enum Action {
        FAILED, DELAYED, DELIVERED, EXPANDED, RELAYED;

        String field() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RecipientStatus {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(action, "action");
        if (status == null || !status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("status must be an enhanced status code, got " + status);
        }
    }
}
