package io.sluice.web;

import io.sluice.events.EventPublisher;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.metrics.FeedbackMetrics;
import io.sluice.model.BounceReason;
import io.sluice.model.UnsubscribeToken;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import io.sluice.suppression.SuppressionSource;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What a one-click unsubscribe POST does (RFC 8058): a verified token's recipient goes on the suppression list for
 * the sender's domain (scope {@code sender-domain}, source {@code unsubscribe}, reason {@code feedback}), durable
 * before the answer, and an {@code unsubscribe} event is written. A token whose recipient is already on the list for
 * that domain is a replay: refused, nothing changes, no event. Runs on the web listener's worker thread (the add
 * waits for an fsync). Thread-safe.
 */
public final class UnsubscribeRequests {
    /** What became of a request. */
    public enum Result { UNSUBSCRIBED, REPLAYED }

    private final SuppressionList suppression;
    private final EventPublisher events;
    private final FeedbackMetrics metrics;
    private final LongSupplier clock;

    public UnsubscribeRequests(SuppressionList suppression, EventPublisher events, FeedbackMetrics metrics,
                               LongSupplier clock) {
        this.suppression = suppression;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Unsubscribes the claim's recipient from its sender domain's mail.
     *
     * @param channel how it came: {@code one-click} (the web listener) or {@code mailto} (the feedback listener)
     * @param id      the queue id of the message it came from, or null when not known (a link names no message)
     * @throws IOException when the suppression list cannot be written (nothing was acknowledged)
     * @throws IllegalArgumentException when the claim's address cannot be held by the list
     */
    public Result unsubscribe(UnsubscribeToken.Claim claim, String channel, String id) throws IOException {
        long now = clock.getAsLong();
        boolean global = claim.senderDomain().isEmpty();
        SuppressionScope scope = global ? SuppressionScope.GLOBAL : SuppressionScope.SENDER_DOMAIN;
        if (suppression.find(scope, claim.senderDomain(), claim.recipient(), now) != null) {
            return Result.REPLAYED;
        }
        suppression.add(List.of(new SuppressionEntry(claim.recipient(), scope, claim.senderDomain(),
                BounceReason.FEEDBACK, SuppressionSource.UNSUBSCRIBE, now, 0)));
        events.publish(LifecycleEvent.feedback(EventType.UNSUBSCRIBE, now, id, null, claim.recipient(), null,
                channel + (global ? "" : " from " + claim.senderDomain()), BounceReason.FEEDBACK, null));
        metrics.unsubscribe(channel);
        return Result.UNSUBSCRIBED;
    }
}
