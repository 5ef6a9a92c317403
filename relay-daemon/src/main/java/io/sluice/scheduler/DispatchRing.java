package io.sluice.scheduler;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The dispatch side of the scheduler: sites with ready work in a round-robin ring, each getting one task per turn
 * within its concurrency window (an {@code AdaptiveConcurrency} per site: 5 tasks for a site not reached yet, one
 * more per successful connection up to {@code maxInFlightPerSite}, the same number as
 * {@code delivery.max_connections_per_site}, one less per transaction the site deferred whole, halved per failed
 * connection, 1 after a dead site's probe got in), the
 * global cap ({@code maxInFlight}) and its {@link SiteHealth} (a dead site gets one probe at a time, when due, on a
 * {@link RetryTimers} timer). Keeps the batches in flight by task id until their result comes back.
 *
 * <p>One destination never starves the others (docs/architecture.md "Back-pressure and fairness"): sites not known
 * healthy (never reached yet, or whose last connection failed) share at most {@link #untrustedCap} slots, so a quarter
 * of the global cap is always left to sites that take mail, however many tarpits hold their slots; and a site that
 * cannot go now only because every global (or untrusted) slot is taken keeps its place in the ring, so the first
 * slot that frees, whoever's result frees it, lets it go. A site leaves the ring only when it has nothing ready, is
 * at its own window (its own result brings it back), is suspended, or waits for a probe timer.
 *
 * <p>Inputs: {@link #addReady} (a batch whose site is known), {@link #completed} (a task's result), {@link #handBack}
 * (a task the delivery stage never tried). Outputs: {@link DeliveryTask}s to the {@link Dispatcher}; batches that
 * reach the head of a ready queue after their expiry to {@code expired} (and, for queues that do not move, the
 * {@link ReadyExpiry} check, {@link #expireWaiting}). A refused dispatch keeps the batch at the
 * head of its queue and ends the round (the delivery stage is full). Operator steering ({@link QueueSteering}): a
 * suspended site leaves the ring (its queue waits in place) until resumed; a batch reaching the head of a ready
 * queue after its domain or message was suspended or held is handed to the parking check instead of dispatched.
 * Both checks are field reads (and hash lookups only while a hold or domain suspension exists): no allocation.
 * Scheduler thread only.
 */
final class DispatchRing {
    private final SchedulerOptions options;
    private final Dispatcher dispatcher;
    private RetryPolicy policy; // replaced on reload, see #policy
    private final RetryTimers timers;
    private final SchedulerCounters counters;
    private final Consumer<Batch> expired;
    /** Takes a batch an operator hold or suspension covers ({@link QueueSteering#parkIfBlocked}); true if taken. */
    private final java.util.function.Predicate<Batch> park;
    private final ArrayDeque<SiteState> ring = new ArrayDeque<>();
    /** {@link #takeBack}'s scratch. */
    private final ArrayDeque<Batch> takenBack = new ArrayDeque<>();
    private final Long2ObjectHashMap<Batch> inFlight = new Long2ObjectHashMap<>();
    private final ReadyExpiry readyExpiry;
    /** Group caps and message rates ({@link PathGate}); a queue it holds back is woken by it. */
    private final PathGate gate;
    private final Consumer<SiteState> wake = this::enterRing;
    private final java.util.function.Predicate<SiteState> cannotDispatch = this::cannotDispatch;
    /** Slots that tasks to sites not known healthy may hold together: the global cap less a quarter. */
    private final int untrustedCap;
    private int untrustedInFlight;
    private long now;
    private long nextTaskId = 1;
    /** Told when a smarthost's probe is dispatched (its breaker is half-open). */
    private Consumer<Smarthosts.Smarthost> smarthostProbe = h -> { };

    DispatchRing(SchedulerOptions options, Dispatcher dispatcher, RetryPolicy policy, RetryTimers timers,
                 SchedulerCounters counters, Consumer<Batch> expired, java.util.function.Predicate<Batch> park,
                 PathGate gate) {
        this.options = options;
        this.gate = gate;
        this.dispatcher = dispatcher;
        this.policy = policy;
        this.timers = timers;
        this.counters = counters;
        this.expired = expired;
        this.park = park;
        this.untrustedCap = untrustedCap(options.maxInFlight());
        this.readyExpiry = new ReadyExpiry(counters, b -> this.policy.isExpired(now, b.receivedAtMillis), expired,
                park);
    }

    /** The share of {@code maxInFlight} that sites not known healthy may hold: all but a quarter, at least 1. */
    static int untrustedCap(int maxInFlight) {
        return Math.max(1, maxInFlight - maxInFlight / 4);
    }

    /** Sets who hears that a smarthost's probe went out (set once, before dispatching). */
    void onSmarthostProbe(Consumer<Smarthosts.Smarthost> listener) {
        this.smarthostProbe = listener;
    }

    /** Expiry at dispatch follows {@code next} from now on (a reload). Scheduler thread. */
    void policy(RetryPolicy next) {
        this.policy = next;
    }

    /** {@code b} joins the tail of {@code site}'s ready queue. */
    void addReady(SiteState site, Batch b) {
        b.site = site;
        site.ready.addLast(b);
        counters.ready += b.size;
        readyExpiry.waiting(site);
        enterRing(site);
    }

    /**
     * Takes every batch out of {@code site}'s ready queue, in order, and hands each to {@code out} (a reload that
     * took its source away, a smarthost's breaker that opened: the batches are placed again). Batches in flight are
     * not touched. Not re-entrant ({@code out} must not take back).
     */
    void takeBack(SiteState site, Consumer<Batch> out) {
        Batch b;
        while ((b = site.ready.poll()) != null) { // all out first: out may put some back into this queue
            counters.ready -= b.size;
            b.site = null;
            takenBack.addLast(b);
        }
        while ((b = takenBack.pollFirst()) != null) {
            out.accept(b);
        }
    }

    /** Puts {@code site} in the ring if it has ready work and is not there yet. */
    void enterRing(SiteState site) {
        if (!site.inRing && !site.ready.isEmpty()) {
            site.inRing = true;
            ring.addLast(site);
        }
    }

    /** Queues whose message rate allows a delivery again rejoin the ring; returns how many. */
    int wakePaced(long now) {
        return gate.wakeDue(now, wake);
    }

    /** A reload's path policy: every queue takes its new limits; those waiting for a group rejoin the ring. */
    void pathPolicy(io.sluice.shaping.PathPolicy next, Iterable<SiteState> states) {
        gate.policy(next, states, wake);
    }

    /** One pass over the ring, up to {@code limit} tasks; returns how many were dispatched. */
    int dispatch(long now, int limit) {
        this.now = now;
        int dispatched = 0;
        int waitingInARow = 0; // sites kept in the ring for lack of an untrusted slot, since the last dispatch
        while (dispatched < limit && !ring.isEmpty() && inFlight.size() < options.maxInFlight()) {
            SiteState site = ring.pollFirst();
            site.inRing = false;
            if (site.suspended) {
                continue; // out of the ring until resumed (QueueSteering puts it back)
            }
            if (site.ready.isEmpty() || site.inFlight >= site.concurrency.window()) {
                continue; // new ready work or its own next result brings it back
            }
            if (site.group.waitsForAddress()) {
                continue; // a smarthost whose host has no address yet: its lookup's answer brings it back
            }
            if (!site.health.mayConnect(now)) {
                scheduleProbe(site);
                continue;
            }
            boolean untrusted = !site.health.isHealthy();
            if (untrusted && untrustedInFlight >= untrustedCap) {
                site.inRing = true;
                ring.addLast(site); // keeps its place: any freed slot lets it go
                if (++waitingInARow >= ring.size()) {
                    break;
                }
                continue;
            }
            if (!gate.mayStart(site, now)) {
                continue; // its group is full or its rate says later: the gate brings it back
            }
            Batch b = site.ready.poll();
            if (policy.isExpired(now, b.receivedAtMillis)) {
                counters.ready -= b.size;
                expired.accept(b);
                enterRing(site);
                continue;
            }
            if (park.test(b)) { // its domain or message was suspended or held while it waited here
                counters.ready -= b.size;
                enterRing(site);
                continue;
            }
            DeliveryTask task = b.toTask(nextTaskId, site.health.isDead());
            if (!dispatcher.dispatch(task)) {
                site.ready.addFirst(b);
                enterRing(site);
                break; // the delivery stage is full; try again next cycle
            }
            nextTaskId++;
            waitingInARow = 0;
            gate.started(site, b, now);
            b.probing = site.health.connecting();
            if (b.probing && site.group.smarthost != null) {
                smarthostProbe.accept(site.group.smarthost);
            }
            b.untrustedSlot = untrusted;
            if (untrusted) {
                untrustedInFlight++;
            }
            b.dispatchedAtMillis = now;
            site.inFlight++;
            counters.ready -= b.size;
            counters.inFlight += b.size;
            inFlight.put(task.taskId(), b);
            dispatched++;
            enterRing(site);
        }
        return dispatched;
    }

    /** Expires mail waiting past {@code max_age} in queues that do not move now ({@link ReadyExpiry}). */
    int expireWaiting(long now) {
        this.now = now;
        return readyExpiry.check(cannotDispatch);
    }

    /**
     * A queue that stands still: suspended (by an operator, or paced by shaping: a reply rule's suspension or a slow
     * rate), waiting for its provider group's room, a dead site (or open breaker) waiting for its probe, or a smarthost without an address. (A site at its
     * window or waiting for a global slot moves as results come back, and its heads are checked at dispatch, in
     * order.)
     */
    private boolean cannotDispatch(SiteState site) {
        return site.suspended || site.paced || site.waitingFor != null || !site.health.mayConnect(now)
                || site.group.waitsForAddress();
    }

    /**
     * The batch of a reported task, no longer in flight, with its site's health updated from the result's signal
     * (not for NOT_ATTEMPTED); null for an unknown or duplicate report. The caller decides the batch's fate and
     * then calls {@link #enterRing} for its site.
     */
    Batch completed(TaskResult r, long now) {
        Batch b = inFlight.remove(r.taskId());
        if (b == null) {
            return null;
        }
        SiteState site = b.site;
        if (b.untrustedSlot) {
            b.untrustedSlot = false;
            untrustedInFlight--;
        }
        if (r.site() != TaskResult.SiteSignal.NOT_ATTEMPTED) {
            boolean wasDead = site.health.isDead();
            if (r.site() == TaskResult.SiteSignal.CONNECTED) {
                site.health.connected(now);
                if (wasDead) {
                    site.concurrency.revived(); // reopen gradually: one connection, then one more per success
                } else if (r.allDeferred(true)) {
                    site.concurrency.deferred(); // it let us in and said "later" to all of it: one fewer at once
                } else {
                    site.concurrency.connected();
                }
            } else {
                if (r.site() == TaskResult.SiteSignal.CONNECT_TIMED_OUT) {
                    site.health.connectTimedOut(now, b.probing);
                } else {
                    site.health.connectFailed(now, b.probing);
                }
                site.concurrency.connectFailed();
            }
            counters.deadSites += (site.health.isDead() ? 1 : 0) - (wasDead ? 1 : 0);
        }
        site.inFlight--;
        counters.inFlight -= b.size;
        gate.finished(b, wake);
        return b;
    }

    /** A task the delivery stage never tried: its batch goes back to the head of its site's ready queue. */
    void handBack(Batch b) {
        SiteState site = b.site;
        gate.finished(b, wake);
        site.health.notConnecting(b.probing);
        site.ready.addFirst(b);
        counters.ready += b.size;
        readyExpiry.waiting(site);
        enterRing(site);
    }

    /** A dead site's probe timer fired: it may take its turn again. */
    void probeDue(SiteState site) {
        site.probeTimerId = RetryTimers.NONE;
        enterRing(site);
    }

    /** Visits the batch of every task in flight. */
    void forEachInFlight(Consumer<Batch> visitor) {
        inFlight.values().forEach(visitor);
    }

    /** Tasks to sites not known healthy, dispatched and not yet reported. */
    int untrustedInFlight() {
        return untrustedInFlight;
    }

    /** Tasks dispatched and not yet reported. */
    int tasksInFlight() {
        return inFlight.size();
    }

    private void scheduleProbe(SiteState site) {
        // Else the probe's result brings it back (a smarthost's breaker is shared: its probe may be another
        // source's, and the scheduler then puts every queue of the smarthost back in the ring).
        if (site.probeTimerId == RetryTimers.NONE && site.inFlight == 0 && !site.health.probeInFlight()) {
            site.probeTimerId = timers.schedule(site.health.nextProbeAtMillis(), site);
        }
    }
}
