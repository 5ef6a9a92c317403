package io.sluice.scheduler;

import io.sluice.model.BounceReason;
import io.sluice.model.RouteInputs;

/**
 * Whether a recipient is on the suppression list for a message with these route inputs (its envelope sender's
 * domain, AUTH identity and header From's domain), asked once per recipient when a message enters the scheduler, newly queued or
 * recovered. Must be cheap and never block: it runs on the scheduler thread (the daemon's is an in-memory hash
 * lookup, {@code suppression.SuppressionList#atRcpt}).
 */
@FunctionalInterface
public interface SuppressionCheck {
    /** Nothing is suppressed. */
    SuppressionCheck NONE = (recipient, inputs, receivedAtMillis, nowMillis) -> null;

    /**
     * The reason of the entry suppressing {@code recipient}, or null when none does. Only entries that were there
     * when the message was received ({@code receivedAtMillis}) count: a recovered message's recipient whose hard
     * bounce added an entry (and whose OUTCOME a crash cut off) bounces again rather than turning "suppressed".
     */
    BounceReason reason(String recipient, RouteInputs inputs, long receivedAtMillis, long nowMillis);
}
