package io.sluice.scheduler;

import io.sluice.model.BounceReason;
import io.sluice.events.EventPublisher;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.events.TlsSession;
import io.sluice.journal.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the scheduler's decisions as delivery events (docs/events.md): {@code delivered}, {@code deferred},
 * {@code bounced} and {@code expired}, one per recipient, next to the journal records {@link OutcomeRecorder}
 * writes.
 *
 * <p>Inputs: the batch and recipient slot the decision is about, the reply (or the scheduler's explanation) and,
 * when the decision came from a delivery attempt, the MX host and source the delivery stage reported. Latency is
 * from receipt for final outcomes and the attempt's duration for {@code deferred} (-1, left out, when there was no
 * attempt, e.g. a DNS failure).
 *
 * <p>Never holds back or fails delivery: {@link EventPublisher#publish} does not block and may drop; with
 * {@link EventPublisher#NONE} nothing is built at all. Scheduler thread only. Allocates one event (and the id's
 * string) per recipient decision, only when an event log is attached.
 */
final class OutcomeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeEvents.class);
    private final EventPublisher events;
    private final boolean enabled;

    OutcomeEvents(EventPublisher events) {
        this.events = events;
        this.enabled = events != EventPublisher.NONE;
    }

    /** Recipient {@code i} of {@code b} was accepted on attempt {@code b.attempts[i] + 1}. */
    void delivered(Batch b, int i, RecipientResult reply, TaskResult via, long now) {
        if (enabled) {
            publish(EventType.DELIVERED, b, i, via.mxHost(), via.source(), reply.code(), reply.enhancedStatus(),
                    reply.text(), b.attempts[i] + 1, now - b.receivedAtMillis, now, via.tls(), null, null);
        }
    }

    /**
     * Recipient {@code i} of {@code b} is final without delivery: bounced (after attempt {@code b.attempts[i] + 1},
     * which may have been a DNS lookup) or expired ({@code b.attempts[i]} attempts made). {@code via} is null when
     * no delivery attempt led here.
     */
    void gaveUp(Batch b, int i, boolean expired, int code, String status, String text, BounceReason reason,
                boolean hard, TaskResult via, long now) {
        if (enabled) {
            int attempt = expired ? (b.attempts[i] > 0 ? b.attempts[i] : -1) : b.attempts[i] + 1;
            publish(expired ? EventType.EXPIRED : EventType.BOUNCED, b, i, via == null ? null : via.mxHost(),
                    via == null ? null : via.source(), code, status, text, attempt, now - b.receivedAtMillis, now,
                    null, reason, expired ? null : hard);
        }
    }

    /** A recipient the suppression list held: final, never attempted ({@code reason}: the entry's). */
    void suppressed(long messageId, String recipient, String routeName, BounceReason reason, long receivedAtMillis,
                    long now) {
        if (enabled) {
            try {
                events.publish(LifecycleEvent.delivery(EventType.SUPPRESSED, now, MessageIds.format(messageId),
                        recipient, null, null, null, routeName, null, null, -1, null, "on the suppression list", -1,
                        now - receivedAtMillis, null, reason, null));
            } catch (RuntimeException e) {
                LOG.warn("suppressed event for {} not published", recipient, e);
            }
        }
    }

    /** Recipient {@code i} of {@code b} failed temporarily; {@code b.attempts[i]} already counts this attempt. */
    void deferred(Batch b, int i, int code, String status, String text, BounceReason reason, TaskResult via,
                  long attemptMillis, long now) {
        if (enabled) {
            publish(EventType.DEFERRED, b, i, via == null ? null : via.mxHost(), via == null ? null : via.source(),
                    code, status, text, b.attempts[i], attemptMillis, now, null, reason, null);
        }
    }

    /** The site's provider ({@code default}: no provider matched), or null: shaping off, a smarthost, no site. */
    private static String providerOf(Batch b) {
        return b.site == null || b.site.group.shape == null ? null : b.site.group.shape.label();
    }

    private void publish(EventType type, Batch b, int i, String mx, String source, int code, String status,
                         String text, int attempt, long latencyMillis, long now, TlsSession tls, BounceReason reason,
                         Boolean hard) {
        try {
            events.publish(LifecycleEvent.delivery(type, now, MessageIds.format(b.messageId), b.addresses[i],
                    siteOf(b), mx, source, b.routeName, b.poolName, providerOf(b), code > 0 ? code : -1, status, text,
                    attempt, latencyMillis, tls, reason, hard));
        } catch (RuntimeException e) { // a broken publisher must not stop the scheduler mid-decision
            LOG.warn("{} event for {} not published", type.label(), b.addresses[i], e);
        }
    }

    /** The site the batch was at, or its domain's current site; null when DNS never named one. */
    private static String siteOf(Batch b) {
        if (b.site != null) {
            return b.site.name;
        }
        return b.domain.site == null ? null : b.domain.site.name;
    }
}
