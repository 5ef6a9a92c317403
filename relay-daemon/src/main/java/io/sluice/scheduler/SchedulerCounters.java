package io.sluice.scheduler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's gauges for metrics and the admin API. The scheduler thread keeps the working values in plain
 * fields as its queues change (never by scanning) and publishes them once per cycle into volatile views, which any
 * thread may read; so a reader sees the state as of the end of the last cycle.
 */
public final class SchedulerCounters {
    long scheduled;
    long ready;
    long inFlight;
    int deadSites;

    private volatile long scheduledView;
    private volatile long readyView;
    private volatile long inFlightView;
    private volatile int deadSitesView;
    private final AtomicLong refusedQueued = new AtomicLong();

    void publish() {
        scheduledView = scheduled;
        readyView = ready;
        inFlightView = inFlight;
        deadSitesView = deadSites;
    }

    void refusedQueued() {
        refusedQueued.incrementAndGet();
    }

    /** Recipients waiting for DNS or for a retry timer. */
    public long scheduledRecipients() {
        return scheduledView;
    }

    /** Recipients in site ready queues. */
    public long readyRecipients() {
        return readyView;
    }

    /** Recipients in tasks handed to the dispatcher and not yet reported. */
    public long inFlightRecipients() {
        return inFlightView;
    }

    /** Sites currently marked dead. */
    public int deadSites() {
        return deadSitesView;
    }

    /** Queued messages refused because the inbound queue was full (they wait in the journal for a restart). */
    public long refusedQueuedMessages() {
        return refusedQueued.get();
    }
}
