package io.sluice.scheduler;

import io.sluice.config.DeliverySettings;
import io.sluice.config.QueueSettings;

/**
 * Sizes and limits of the {@link Scheduler}.
 *
 * @param maxRecipientsPerTask  recipients of one message to one domain per task
 *                              ({@code max_recipients_per_transaction})
 * @param maxInFlightPerSite    tasks in flight per site until the daemon hands over its {@code PathPolicy}
 *                              ({@link Scheduler#changePathPolicy}), which decides it from then on
 * @param queueCapacity         capacity of the inbound queued-message queue (power of two)
 * @param maxInFlight           tasks in flight in total; also the reserved capacity of the result queue
 * @param maxDnsInFlight        resolutions in flight; also the reserved capacity of the DNS completion queue
 * @param recoverySpreadMillis  recovered recipients already due are spread uniformly over this window
 * @param failuresToDie         connection failures in a row that make a site dead ({@link SiteHealth})
 * @param firstProbeMillis      first probe interval of a dead site
 * @param maxProbeMillis        longest probe interval
 */
public record SchedulerOptions(int maxRecipientsPerTask, int maxInFlightPerSite, int queueCapacity, int maxInFlight,
                               int maxDnsInFlight, long recoverySpreadMillis, int failuresToDie,
                               long firstProbeMillis, long maxProbeMillis) {

    public SchedulerOptions {
        if (maxRecipientsPerTask < 1 || maxInFlightPerSite < 1 || queueCapacity < 2 || maxInFlight < 1
                || maxDnsInFlight < 1 || recoverySpreadMillis < 0) {
            throw new IllegalArgumentException("bad scheduler options");
        }
    }

    /** Limits from {@code delivery.*}; queue sizes, site health and restart spread at their defaults. */
    public static SchedulerOptions from(DeliverySettings delivery) {
        return from(delivery, QueueSettings.defaults());
    }

    /** Limits from {@code delivery.*}, site health and restart spread from {@code queue.*}. */
    public static SchedulerOptions from(DeliverySettings delivery, QueueSettings queue) {
        return new SchedulerOptions(delivery.maxRecipientsPerMessage(), delivery.maxConnectionsPerSite(), 65536,
                queue.maxInFlight(), 1024, queue.restartSpread().toMillis(), queue.deadSiteFailures(),
                queue.deadSiteFirstProbe().toMillis(), queue.deadSiteMaxProbe().toMillis());
    }
}
