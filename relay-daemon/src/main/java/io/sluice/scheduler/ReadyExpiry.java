package io.sluice.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Keeps {@code max_age} in force for mail that waits in a ready queue (docs/architecture.md "Retries and health":
 * expiry holds in every state). A batch is checked for expiry when it reaches the head of a moving queue
 * ({@link DispatchRing#dispatch}); a queue that stands still (a dead site waiting for its probe, a suspended site)
 * would keep expired mail until it moves again, and a slow one (a site at its window with slow deliveries out, or
 * every global slot taken) lets it wait longer than it should. So each cycle {@link #check} looks at the heads of a
 * few sites' queues ({@value #CHECKS_PER_CYCLE}, round-robin over the sites with ready mail): an expired head
 * expires, and a live head of a queue that stands still goes to the back of it, so the whole queue is seen in turn
 * (a moving queue keeps its order).
 *
 * <p>A full pass over N waiting batches takes about N / {@value #CHECKS_PER_CYCLE} cycles (seconds for a million),
 * nothing against a {@code max_age} of days. Allocation-free per cycle. Scheduler thread only.
 */
final class ReadyExpiry {
    static final int CHECKS_PER_CYCLE = 16;

    private final SchedulerCounters counters;
    private final Predicate<Batch> isExpired;
    private final Consumer<Batch> expire;
    /** The operator's parking check: a held or suspended batch is parked, not expired here (as at dispatch). */
    private final Predicate<Batch> park;
    /** Sites with ready mail; reused, never rebuilt. A site leaves when its queue is found empty. */
    private final List<SiteState> sites = new ArrayList<>();
    private int cursor;

    ReadyExpiry(SchedulerCounters counters, Predicate<Batch> isExpired, Consumer<Batch> expire,
                Predicate<Batch> park) {
        this.counters = counters;
        this.isExpired = isExpired;
        this.expire = expire;
        this.park = park;
    }

    /** {@code site} has ready mail now (called whenever a batch joins a ready queue; cheap when listed). */
    void waiting(SiteState site) {
        if (!site.expiryListed) {
            site.expiryListed = true;
            sites.add(site);
        }
    }

    /**
     * One cycle's checks; returns batches expired. {@code blocked} says whether a site's queue stands still (only
     * those queues are rotated).
     */
    int check(Predicate<SiteState> blocked) {
        int expired = 0;
        for (int i = 0; i < CHECKS_PER_CYCLE && !sites.isEmpty(); i++) {
            if (cursor >= sites.size()) {
                cursor = 0;
            }
            SiteState site = sites.get(cursor);
            if (site.ready.isEmpty()) {
                site.expiryListed = false;
                sites.set(cursor, sites.get(sites.size() - 1));
                sites.remove(sites.size() - 1);
                continue;
            }
            boolean expiredHere = false;
            for (int lane = 0; lane < site.ready.laneSlots(); lane++) { // every lane's head: weights never hide one
                Batch head = site.ready.head(lane);
                if (head != null && isExpired.test(head)) {
                    site.ready.pollLane(lane);
                    counters.ready -= head.size;
                    expiredHere = true;
                    if (!park.test(head)) {
                        expire.accept(head);
                        expired++;
                    }
                }
            }
            if (!expiredHere && blocked.test(site) && site.ready.batches() > 1) {
                site.ready.rotate();
            }
            cursor++;
        }
        return expired;
    }
}
