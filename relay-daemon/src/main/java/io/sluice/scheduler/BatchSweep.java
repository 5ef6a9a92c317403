package io.sluice.scheduler;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Takes the batches an operator command is about out of wherever they wait (site ready queues, retry timers,
 * domains waiting for DNS, operator-parked queues), keeping every counter right, and hands each to the command.
 * Batches in flight are never taken (they are counted for the command's answer instead).
 *
 * <p>Cost: one walk over every site's ready queue, every retry timer and the domains in scope, on the scheduler
 * thread: like the admin {@code queue} snapshot, tens to a couple of hundred milliseconds at a million pending
 * batches, paid once per command (at most {@link OperatorRequests#MAX_STEERING_REQUESTS} wait). What the command
 * then does with the batches may be chunked (bounces are, see {@link QueueSteering}). Scheduler thread only.
 */
final class BatchSweep {
    private final DomainTable domains;
    private final Resolutions resolutions;
    private final DispatchRing ring;
    private final RetryTimers timers;
    private final SchedulerCounters counters;

    BatchSweep(DomainTable domains, Resolutions resolutions, DispatchRing ring, RetryTimers timers,
               SchedulerCounters counters) {
        this.domains = domains;
        this.resolutions = resolutions;
        this.ring = ring;
        this.timers = timers;
        this.counters = counters;
    }

    /** Which structures to sweep besides ready queues and timers. */
    enum Extent { READY_AND_TIMERS, EVERYWHERE }

    /**
     * Detaches every matching batch, not in flight, and gives it to {@code out}.
     *
     * @param domain when not null, only batches of this domain can match (its queues alone are walked)
     * @param match  the command's test
     * @return recipients detached
     */
    long detach(DomainState domain, Predicate<Batch> match, Extent extent, Consumer<Batch> out) {
        long[] recipients = new long[1];
        Predicate<Batch> inScope = domain == null ? match : b -> b.domain == domain && match.test(b);
        for (SiteState site : resolutions.sites()) {
            site.ready.detachIf(inScope, b -> {
                counters.ready -= b.size;
                recipients[0] += b.size;
                out.accept(b);
            });
        }
        for (Batch b : timers.batchesWhere(inScope)) {
            timers.cancel(b.timerId);
            b.timerId = RetryTimers.NONE;
            counters.scheduled -= b.size;
            recipients[0] += b.size;
            out.accept(b);
        }
        if (extent == Extent.EVERYWHERE) {
            Consumer<DomainState> sweepDomain = d -> {
                d.waiting.detachIf(inScope, b -> {
                    counters.scheduled -= b.size;
                    recipients[0] += b.size;
                    out.accept(b);
                });
                d.parked.detachIf(inScope, b -> {
                    unparked(b);
                    recipients[0] += b.size;
                    out.accept(b);
                });
            };
            if (domain != null) {
                sweepDomain.accept(domain);
            } else {
                domains.forEach(sweepDomain);
            }
        }
        return recipients[0];
    }

    /** Counts matching batches' recipients everywhere, changing nothing (a dry run). */
    long count(DomainState domain, Predicate<Batch> match) {
        long[] n = new long[1];
        Predicate<Batch> inScope = domain == null ? match : b -> b.domain == domain && match.test(b);
        Consumer<BatchQueue> walk = q -> {
            for (Batch b = q.head(); b != null; b = b.next) {
                if (inScope.test(b)) {
                    n[0] += b.size;
                }
            }
        };
        resolutions.sites().forEach(s -> s.ready.forEach(b -> {
            if (inScope.test(b)) {
                n[0] += b.size;
            }
        }));
        timers.batchesWhere(inScope).forEach(b -> n[0] += b.size);
        if (domain != null) {
            walk.accept(domain.waiting);
            walk.accept(domain.parked);
        } else {
            domains.forEach(d -> {
                walk.accept(d.waiting);
                walk.accept(d.parked);
            });
        }
        return n[0];
    }

    /** Recipients of matching batches in flight (left alone by every command). */
    long inFlight(DomainState domain, Predicate<Batch> match) {
        long[] n = new long[1];
        ring.forEachInFlight(b -> {
            if ((domain == null || b.domain == domain) && match.test(b)) {
                n[0] += b.size;
            }
        });
        return n[0];
    }

    /** Takes every batch out of {@code d}'s parked queue matching {@code match}, un-counted and unmarked. */
    void unpark(DomainState d, Predicate<Batch> match, Consumer<Batch> out) {
        d.parked.detachIf(match, b -> {
            unparked(b);
            out.accept(b);
        });
    }

    private void unparked(Batch b) {
        if (b.parked == Batch.PARKED_HELD) {
            counters.held -= b.size;
        } else {
            counters.suspended -= b.size;
        }
        b.parked = Batch.NOT_PARKED;
    }
}
