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
    /** Recipients parked by an operator's hold, and by a domain suspension ({@link QueueSteering}). */
    long held;
    long suspended;
    /** Recipients in the ready queues of suspended sites (also counted in {@link #ready}). */
    long suspendedAtSites;
    /** Recipients a reload took off a source or smarthost no route uses any more and placed again (only grows). */
    long rerouted;
    /** Recipients the suppression list held back when they entered the scheduler (only grows). */
    long suppressed;

    private volatile long scheduledView;
    private volatile long readyView;
    private volatile long inFlightView;
    private volatile int deadSitesView;
    private volatile long heldView;
    private volatile long suspendedView;
    private volatile long reroutedView;
    private volatile long suppressedView;
    private final AtomicLong refusedQueued = new AtomicLong();

    void publish() {
        scheduledView = scheduled;
        readyView = ready;
        inFlightView = inFlight;
        deadSitesView = deadSites;
        heldView = held;
        suspendedView = suspended + suspendedAtSites;
        reroutedView = rerouted;
        suppressedView = suppressed;
    }

    /** Recipients the suppression list held back (a count that only grows). */
    public long suppressedRecipients() {
        return suppressedView;
    }

    /** Recipients placed again because a reload took their source or smarthost away (a count that only grows). */
    public long reroutedRecipients() {
        return reroutedView;
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

    /** Recipients held by an operator ({@code sluice hold}) and parked until released. */
    public long heldRecipients() {
        return heldView;
    }

    /**
     * Recipients waiting because an operator suspended their domain or site: those parked for a domain, plus those
     * in a suspended site's ready queue (which {@link #readyRecipients} counts too).
     */
    public long suspendedRecipients() {
        return suspendedView;
    }

    /** Sites currently marked dead. */
    public int deadSites() {
        return deadSitesView;
    }

    /** Offers of queued messages refused because the inbound queue was full (the caller offers them again). */
    public long refusedQueuedMessages() {
        return refusedQueued.get();
    }
}
