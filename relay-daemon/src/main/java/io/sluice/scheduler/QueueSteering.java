package io.sluice.scheduler;

import io.sluice.journal.OutcomeCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.agrona.collections.LongHashSet;

/**
 * The operator's hand on the queue ({@link SteeringCommand}): flush, suspend/resume, hold/release, bounce, and the
 * suspensions and holds in force. Scheduler thread only.
 *
 * <p>Parking: a batch of a suspended domain, a held domain or a held message is <em>parked</em> on its domain's
 * {@link DomainState#parked} queue (marked {@link Batch#parked}, counted in {@link SchedulerCounters}) instead of
 * being dispatched. Commands park what is ready or on a retry timer at once; batches waiting for DNS, in flight
 * or arriving later are parked by {@link #parkIfBlocked}, which the scheduler calls whenever it routes a batch and
 * the dispatch ring calls at the head of a ready queue (a few field reads and, only while some hold or suspension
 * exists, hash lookups that allocate nothing). A suspended <em>site</em> is simpler: it leaves the dispatch ring
 * ({@link SiteState#suspended}) and its ready queue waits in place.
 *
 * <p>Release and resume route the parked batches again at once (their old retry time is not kept: a released
 * recipient is tried now, as {@code postsuper -H} puts mail back in line), and {@code route} checks expiry then.
 * Suspended recipients still expire at {@code max_age} (docs/architecture.md "Retries and health": in every state): a
 * few parked batches are looked at per cycle ({@link ParkedExpiry}). Held recipients do not expire while held: like
 * Postfix's hold queue, a hold keeps mail until the operator lets it go; at release, one older than
 * {@code max_age} expires at once.
 *
 * <p>Bounce detaches the matching batches at once (so none is dispatched meanwhile) and gives them up in chunks of
 * about {@value #BOUNCE_CHUNK_RECIPIENTS} recipients per cycle, through the same path as any permanent failure
 * ({@link BatchOutcomes#finish}: DSN then OUTCOME through the {@link BounceSink}), only while the bounce hand-off has
 * room, so a big bounce never stalls the scheduler or floods the journal writer.
 *
 * <p>Suspension ends: at {@code untilMillis} by itself ({@link #tick}), or by resume. The state here is what the
 * daemon persists ({@link #state}, {@link SteeringState}); {@link #restore} loads it before the agent runs.
 */
final class QueueSteering {
    static final int BOUNCE_CHUNK_RECIPIENTS = 1_000;
    static final String BOUNCE_STATUS = "5.0.0";

    private final DomainTable domains;
    private final Resolutions resolutions;
    private final DispatchRing ring;
    private final RetryTimers timers;
    private final SchedulerCounters counters;
    private final BatchOutcomes outcomes;
    private final BatchSweep sweep;
    private final Consumer<Batch> route;
    private final Consumer<Batch> timerDue;
    private final ParkedExpiry expiry;

    private final Map<String, Long> suspendedDomains = new HashMap<>();
    private final Map<String, Long> suspendedSites = new HashMap<>();
    private final Set<String> heldDomains = new HashSet<>();
    private final LongHashSet heldIds = new LongHashSet();
    /** Site states now suspended, for the gauge (few: operators suspend by hand). */
    private final List<SiteState> suspendedSiteStates = new ArrayList<>();
    /** True while any hold or domain suspension exists: the only check on the dispatch path otherwise. */
    private boolean anyParking;
    private long nextEndMillis = Long.MAX_VALUE;
    private final ArrayDeque<Batch> bouncing = new ArrayDeque<>();
    private final ArrayDeque<String> bounceReasons = new ArrayDeque<>();
    private long bouncingRecipients;

    QueueSteering(DomainTable domains, Resolutions resolutions, DispatchRing ring, RetryTimers timers,
                  SchedulerCounters counters, BatchOutcomes outcomes, Consumer<Batch> route,
                  Consumer<Batch> timerDue, Predicate<Batch> isExpired, Consumer<Batch> expire) {
        this.domains = domains;
        this.resolutions = resolutions;
        this.ring = ring;
        this.timers = timers;
        this.counters = counters;
        this.outcomes = outcomes;
        this.route = route;
        this.timerDue = timerDue;
        this.expiry = new ParkedExpiry(counters, isExpired, expire);
        this.sweep = new BatchSweep(domains, resolutions, ring, timers, counters);
        resolutions.onNewSite(site -> {
            if (suspendedSites.containsKey(site.name)) {
                site.suspended = true;
                suspendedSiteStates.add(site);
            }
        });
    }

    /** Parks {@code b} (not queued anywhere) when a hold or suspension covers it; true if it did. Allocation-free. */
    boolean parkIfBlocked(Batch b) {
        if (!anyParking) {
            return false;
        }
        byte why = blockOf(b);
        if (why == Batch.NOT_PARKED) {
            return false;
        }
        park(b, why);
        return true;
    }

    /** Applies {@code c} at {@code now}; the answer for the operator. */
    SteeringResult apply(SteeringCommand c, long now) {
        SteeringCommand.Target t = c.target();
        DomainState d = t.scope() == SteeringCommand.Scope.DOMAIN ? domains.find(t.name()) : null;
        boolean noDomainState = t.scope() == SteeringCommand.Scope.DOMAIN && d == null;
        Predicate<Batch> match = matcher(t);
        long affected = switch (c.action()) {
            case FLUSH -> flush(t, d, noDomainState, match, now);
            case SUSPEND -> suspend(t, d, c.untilMillis(), match);
            case RESUME -> resume(t, d);
            case HOLD -> hold(t, d, noDomainState, match);
            case RELEASE -> release(t, d);
            case BOUNCE -> noDomainState ? 0 : c.dryRun() ? sweep.count(d, match) : bounce(t, d, match, c.reason());
        };
        long inFlight = noDomainState || t.scope() == SteeringCommand.Scope.SITE ? 0 : sweep.inFlight(d, match);
        return new SteeringResult(c, affected, inFlight, state());
    }

    /** Per cycle: ends suspensions whose time has come, gives up the next chunk of a bounce. Returns work done. */
    int tick(long now, boolean bounceRoom) {
        int work = 0;
        if (now >= nextEndMillis) {
            work += endSuspensions(now);
        }
        if (bounceRoom && !bouncing.isEmpty()) {
            int n = 0;
            Batch b;
            while (n < BOUNCE_CHUNK_RECIPIENTS && (b = bouncing.poll()) != null) {
                n += b.size;
                bouncingRecipients -= b.size;
                outcomes.finish(b, OutcomeCode.BOUNCED, 0, BOUNCE_STATUS, bounceReasons.poll(), now);
            }
            work += n;
        }
        work += expiry.check();
        counters.suspendedAtSites = readyAtSuspendedSites();
        return work;
    }

    /** Loads persisted suspensions and holds (before the agent runs; ended suspensions already dropped). */
    void restore(SteeringState s) {
        suspendedDomains.putAll(s.suspendedDomains());
        s.suspendedSites().forEach((name, until) -> suspendSite(name, until));
        heldDomains.addAll(s.heldDomains());
        s.heldMessages().forEach(heldIds::add);
        updateBounds();
    }

    /** Suspensions and holds now in force. */
    SteeringState state() {
        Set<Long> ids = new HashSet<>();
        heldIds.forEach(ids::add);
        return new SteeringState(suspendedDomains, suspendedSites, heldDomains, ids);
    }

    /** Recipients detached for a bounce and not yet given up (shutdown waits for them, see isDrained). */
    long bouncing() {
        return bouncingRecipients;
    }

    private long flush(SteeringCommand.Target t, DomainState d, boolean noDomainState, Predicate<Batch> match,
                       long now) {
        long n = 0;
        SiteGroup domainSite = d == null ? null : d.site; // before the timers' routing forgets it (retries look again)
        if (!noDomainState) {
            for (Batch b : timers.batchesWhere(d == null ? match : b -> b.domain == d)) {
                timers.cancel(b.timerId);
                n += b.size;
                b.domain.failure = null; // "retry now" means ask DNS again, even within a failure's memory
                timerDue.accept(b); // as if its retry timer had fired now
            }
        }
        for (SiteState site : new ArrayList<>(resolutions.sites())) {
            boolean inScope = switch (t.scope()) {
                case ALL -> true;
                case SITE -> site.name.equals(t.name());
                case DOMAIN -> domainSite == site.group;
                case MESSAGE -> false;
            };
            if (!inScope) {
                continue;
            }
            if (site.health.isDead()) {
                site.health.probeNow(now);
                timers.cancel(site.probeTimerId);
                ring.probeDue(site);
            }
            // ready mail is tried now too: its site goes back in the ring (it is only out of it while it has
            // nothing ready, is at its window, suspended, or waits for a probe) and the answer counts it
            if (!site.suspended) {
                n += t.scope() == SteeringCommand.Scope.DOMAIN ? readyOf(site, d) : site.ready.recipients();
                ring.enterRing(site);
            }
        }
        return n;
    }

    /** Recipients of domain {@code d} in {@code site}'s ready queue (one walk; operator commands only). */
    private static long readyOf(SiteState site, DomainState d) {
        long[] n = new long[1];
        site.ready.forEach(b -> {
            if (b.domain == d) {
                n[0] += b.size;
            }
        });
        return n[0];
    }

    private long suspend(SteeringCommand.Target t, DomainState d, long until, Predicate<Batch> match) {
        if (t.scope() == SteeringCommand.Scope.SITE) {
            long n = suspendSite(t.name(), until);
            updateBounds();
            return n;
        }
        suspendedDomains.put(t.name(), until);
        updateBounds();
        return d == null ? 0 : parkNow(d, match);
    }

    private long resume(SteeringCommand.Target t, DomainState d) {
        if (t.scope() == SteeringCommand.Scope.SITE) {
            long n = resumeSite(t.name());
            updateBounds();
            return n;
        }
        suspendedDomains.remove(t.name());
        updateBounds();
        return d == null ? 0 : unparkAndRoute(d, b -> true);
    }

    private long hold(SteeringCommand.Target t, DomainState d, boolean noDomainState, Predicate<Batch> match) {
        if (t.scope() == SteeringCommand.Scope.MESSAGE) {
            heldIds.add(t.id());
        } else {
            heldDomains.add(t.name());
        }
        updateBounds();
        return noDomainState ? 0 : parkNow(d, match);
    }

    private long release(SteeringCommand.Target t, DomainState d) {
        if (t.scope() == SteeringCommand.Scope.MESSAGE) {
            heldIds.remove(t.id());
            updateBounds();
            long[] n = new long[1];
            domains.forEach(x -> n[0] += unparkAndRoute(x, b -> b.messageId == t.id()));
            return n[0];
        }
        heldDomains.remove(t.name());
        updateBounds();
        return d == null ? 0 : unparkAndRoute(d, b -> true);
    }

    private long bounce(SteeringCommand.Target t, DomainState d, Predicate<Batch> match, String reason) {
        String text = "Bounced by the administrator: " + reason;
        if (t.scope() == SteeringCommand.Scope.MESSAGE && heldIds.remove(t.id())) {
            updateBounds(); // a bounced message needs its hold no more
        }
        return sweep.detach(d, match, BatchSweep.Extent.EVERYWHERE, b -> {
            bouncing.addLast(b);
            bounceReasons.addLast(text);
            bouncingRecipients += b.size;
        });
    }

    /** Parks the batches of the command's scope that are ready or on a timer and now blocked. */
    private long parkNow(DomainState d, Predicate<Batch> match) {
        List<Batch> taken = new ArrayList<>();
        sweep.detach(d, b -> match.test(b) && blockOf(b) != Batch.NOT_PARKED, BatchSweep.Extent.READY_AND_TIMERS,
                taken::add);
        long n = 0;
        for (Batch b : taken) {
            n += b.size;
            b.site = null;
            park(b, blockOf(b));
        }
        return n;
    }

    /** Routes again the parked batches of {@code d} that {@code match} takes (some may park again). */
    private long unparkAndRoute(DomainState d, Predicate<Batch> match) {
        if (d.parked.isEmpty()) {
            return 0;
        }
        List<Batch> taken = new ArrayList<>();
        sweep.unpark(d, match, taken::add);
        long n = 0;
        for (Batch b : taken) {
            n += b.size;
            route.accept(b);
        }
        return n;
    }

    /** Suspends every ready queue of site {@code name} (one per source); returns their ready recipients. */
    private long suspendSite(String name, long until) {
        suspendedSites.put(name, until);
        long n = 0;
        for (SiteState site : resolutions.sites()) {
            if (site.name.equals(name)) {
                if (!site.suspended) {
                    site.suspended = true;
                    suspendedSiteStates.add(site);
                }
                n += site.ready.recipients();
            }
        }
        return n;
    }

    /** Resumes every ready queue of site {@code name}; returns their ready recipients. */
    private long resumeSite(String name) {
        suspendedSites.remove(name);
        long n = 0;
        for (java.util.Iterator<SiteState> it = suspendedSiteStates.iterator(); it.hasNext(); ) {
            SiteState site = it.next();
            if (site.name.equals(name)) {
                site.suspended = false;
                it.remove();
                ring.enterRing(site);
                n += site.ready.recipients();
            }
        }
        return n;
    }

    private int endSuspensions(long now) {
        int n = 0;
        for (Map.Entry<String, Long> e : new ArrayList<>(suspendedSites.entrySet())) {
            if (e.getValue() != 0 && e.getValue() <= now) {
                resumeSite(e.getKey());
                n++;
            }
        }
        for (Map.Entry<String, Long> e : new ArrayList<>(suspendedDomains.entrySet())) {
            if (e.getValue() != 0 && e.getValue() <= now) {
                suspendedDomains.remove(e.getKey());
                updateBounds();
                DomainState d = domains.find(e.getKey());
                if (d != null) {
                    unparkAndRoute(d, b -> true);
                }
                n++;
            }
        }
        updateBounds();
        return n;
    }

    private void updateBounds() {
        anyParking = !suspendedDomains.isEmpty() || !heldDomains.isEmpty() || !heldIds.isEmpty();
        long next = Long.MAX_VALUE;
        for (long until : suspendedDomains.values()) {
            next = until != 0 ? Math.min(next, until) : next;
        }
        for (long until : suspendedSites.values()) {
            next = until != 0 ? Math.min(next, until) : next;
        }
        nextEndMillis = next;
    }

    private byte blockOf(Batch b) {
        if (!heldIds.isEmpty() && heldIds.contains(b.messageId)
                || !heldDomains.isEmpty() && heldDomains.contains(b.domain.name)) {
            return Batch.PARKED_HELD;
        }
        if (!suspendedDomains.isEmpty() && suspendedDomains.containsKey(b.domain.name)) {
            return Batch.PARKED_SUSPENDED;
        }
        return Batch.NOT_PARKED;
    }

    private void park(Batch b, byte why) {
        b.parked = why;
        b.domain.parked.addLast(b);
        expiry.parked(b.domain);
        if (why == Batch.PARKED_HELD) {
            counters.held += b.size;
        } else {
            counters.suspended += b.size;
        }
    }

    private long readyAtSuspendedSites() {
        long n = 0;
        for (int i = 0; i < suspendedSiteStates.size(); i++) {
            n += suspendedSiteStates.get(i).ready.recipients();
        }
        return n;
    }

    private static Predicate<Batch> matcher(SteeringCommand.Target t) {
        return switch (t.scope()) {
            case ALL -> b -> true;
            case DOMAIN -> b -> b.domain.name.equals(t.name());
            case SITE -> b -> b.domain.site != null && b.domain.site.name.equals(t.name());
            case MESSAGE -> b -> b.messageId == t.id();
        };
    }
}
