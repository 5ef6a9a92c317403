package io.sluice.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Keeps {@code max_age} in force for suspended mail (docs/architecture.md "Retries and health": expiry holds in every
 * state, suspended included): parked batches sit on their domain's {@link DomainState#parked} queue with no timer, so
 * each cycle {@link #check} looks at the heads of a few of those queues ({@value #CHECKS_PER_CYCLE}, round-robin over
 * the domains with parked mail). An expired suspended batch expires; anything else goes to the back of its queue. Held
 * batches never expire here: a hold keeps mail until the operator releases it (then {@code route} checks expiry).
 *
 * <p>A full pass over N parked batches takes N / {@value #CHECKS_PER_CYCLE} cycles (seconds for a million on an
 * idle scheduler, which cycles every few ms), nothing against {@code max_age} of days. Allocation-free per cycle.
 * Scheduler thread only.
 */
final class ParkedExpiry {
    static final int CHECKS_PER_CYCLE = 16;

    private final SchedulerCounters counters;
    private final Predicate<Batch> isExpired;
    private final Consumer<Batch> expire;
    /** Domains with parked batches; reused, never rebuilt. A domain leaves when its queue is found empty. */
    private final List<DomainState> domains = new ArrayList<>();
    private int cursor;

    ParkedExpiry(SchedulerCounters counters, Predicate<Batch> isExpired, Consumer<Batch> expire) {
        this.counters = counters;
        this.isExpired = isExpired;
        this.expire = expire;
    }

    /** {@code d} has a parked batch now (called on every park; cheap when already listed). */
    void parked(DomainState d) {
        if (!d.expiryScan) {
            d.expiryScan = true;
            domains.add(d);
        }
    }

    /**
     * One cycle's checks; returns batches expired. A rotation is no work, so an idle scheduler with parked mail
     * still parks its thread.
     */
    int check() {
        int expired = 0;
        for (int i = 0; i < CHECKS_PER_CYCLE && !domains.isEmpty(); i++) {
            if (cursor >= domains.size()) {
                cursor = 0;
            }
            DomainState d = domains.get(cursor);
            Batch b = d.parked.poll();
            if (b == null) {
                d.expiryScan = false;
                domains.set(cursor, domains.get(domains.size() - 1));
                domains.remove(domains.size() - 1);
                continue;
            }
            if (b.parked == Batch.PARKED_SUSPENDED && isExpired.test(b)) {
                counters.suspended -= b.size;
                b.parked = Batch.NOT_PARKED;
                expire.accept(b);
                expired++;
            } else {
                d.parked.addLast(b);
            }
            cursor++;
        }
        return expired;
    }
}
