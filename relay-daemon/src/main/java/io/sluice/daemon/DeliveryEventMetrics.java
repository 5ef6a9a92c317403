package io.sluice.daemon;

import io.sluice.events.EventPublisher;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.metrics.BounceMetrics;
import io.sluice.metrics.DeliveryMetrics;
import io.sluice.metrics.DeliveryOutcome;

/**
 * A tee in front of the event log: counts each delivery decision in {@link DeliveryMetrics} (outcome by site, and
 * the end-to-end latency of {@code delivered}), then forwards every event unchanged.
 *
 * <p>Why here: the scheduler and the dispatcher already publish an event for every decision (docs/events.md), so
 * the metrics see exactly what the event log records without another hook in the scheduler; and {@code metrics}
 * may not import {@code events}, so this adapter lives in the composition root.
 *
 * <p>Failures ({@code deferred}, {@code bounced}, {@code expired}) and {@code suppressed} recipients are also counted
 * by bounce reason and provider ({@link BounceMetrics}).
 *
 * <p>Inputs: any {@link LifecycleEvent}; {@code received} and {@code attempt} pass through uncounted. A decision is
 * counted even when the event log then drops the event (its queue full), so metrics stay complete under overload.
 * {@code latency_ms} of {@code delivered} is from receipt (set by the scheduler); a missing one (-1) is not observed.
 *
 * <p>Threading: as {@link EventPublisher}: any thread, never blocks. Cost: a switch, a map lookup and atomic adds;
 * no allocation.
 */
final class DeliveryEventMetrics implements EventPublisher {
    private final DeliveryMetrics metrics;
    private final BounceMetrics reasons;
    private final EventPublisher next;

    DeliveryEventMetrics(DeliveryMetrics metrics, EventPublisher next) {
        this(metrics, null, next);
    }

    /** {@code reasons}: where failures are counted by bounce reason (null: not counted). */
    DeliveryEventMetrics(DeliveryMetrics metrics, BounceMetrics reasons, EventPublisher next) {
        this.metrics = metrics;
        this.reasons = reasons;
        this.next = next;
    }

    @Override
    public boolean publish(LifecycleEvent event) {
        switch (event.type()) {
            case DELIVERED -> {
                metrics.outcome(DeliveryOutcome.DELIVERED, event.site(), event.source(), event.route(), event.pool(),
                    event.provider());
                if (event.tls() != null) {
                    metrics.deliveredOver(event.tls().state());
                }
                if (event.latencyMillis() >= 0) {
                    metrics.endToEndMillis(event.latencyMillis());
                }
            }
            case DEFERRED -> metrics.outcome(DeliveryOutcome.DEFERRED, event.site(), event.source(), event.route(), event.pool(),
                    event.provider());
            case BOUNCED -> metrics.outcome(DeliveryOutcome.BOUNCED, event.site(), event.source(), event.route(), event.pool(),
                    event.provider());
            case EXPIRED -> metrics.outcome(DeliveryOutcome.EXPIRED, event.site(), event.source(), event.route(), event.pool(),
                    event.provider());
            default -> {
                // received, attempt, suppressed (counted below): not a delivery decision
            }
        }
        if (reasons != null && event.reason() != null && event.type() != EventType.DELIVERED) {
            reasons.failure(event.type().label(), event.reason(), event.provider());
        }
        return next.publish(event);
    }
}
