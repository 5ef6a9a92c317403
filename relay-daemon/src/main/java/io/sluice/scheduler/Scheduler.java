package io.sluice.scheduler;

import io.sluice.dns.Destination;
import io.sluice.dns.MxResolver;
import io.sluice.events.EventPublisher;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import io.sluice.config.EgressSettings;
import io.sluice.journal.PendingSet;
import io.sluice.model.RouteInputs;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.routing.SmarthostPath;
import io.sluice.util.OrderedBacklog;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The delivery scheduler (docs/architecture.md "Threading", "Retries and health"): one Agrona {@link Agent} that owns
 * every pending recipient's place in line and decides what is tried when. This class is the agent and its inputs; the
 * work is done by one class per concern: {@link BatchIntake} (messages into batches per domain),
 * {@link Resolutions} (DNS bookkeeping and sites), {@link DispatchRing} (ready queues, fairness, caps, health) and
 * {@link BatchOutcomes} (results, deferrals, give-ups).
 *
 * <p>Inputs, all through bounded MPSC queues and non-blocking from any thread: {@link #offerQueued} (the journal's
 * {@code QueuedListener}), DNS completions (one resolution in flight per domain; a completion slot reserved before
 * asking), and {@link #offerResult} (the delivery stage; a slot is reserved per task in flight, so it cannot fail
 * for a dispatched task). Outputs: {@link DeliveryTask}s to the {@link Dispatcher}, OUTCOME and DEFERRED records to
 * the journal writer (backlogged, never dropped, see {@link OutcomeRecorder}), given-up recipients to the
 * {@link BounceSink} when it takes outcomes (it then writes the DSN and the OUTCOME; backlogged the same way, in an
 * {@link OrderedBacklog}), delivery events for each decision to the {@link EventPublisher} ({@link OutcomeEvents};
 * non-blocking, may drop).
 *
 * <p>Flow: recipients of a message are grouped per domain (lower-cased part after the last {@code @}) into
 * {@link Batch}es of at most {@code maxRecipientsPerTask}; a batch waits at its domain until DNS names the site,
 * then joins the site's ready queue, so domains at the same MX hosts share one queue. TEMPORARY results and
 * temporary DNS failures write DEFERRED and set a retry on the timer wheel ({@link RetryTimers}); when a retry comes
 * due the domain is resolved again, and so it is when its answer is a minute old; a domain without work is
 * remembered (with its answer) for a minute, so a trickle of mail to it needs no lookup per message. A task the
 * delivery stage hands back untried ({@link TaskResult#notAttempted}) returns to the head of its site's queue with
 * no record. Expiry ({@code max_age}) is checked whenever a batch is (re)queued, comes due, reaches the head of
 * a ready queue or comes back from an attempt with temporary failures; retry times never pass the expiry. A task
 * in flight is not cut short at expiry (the delivery stage's timeouts bound it).
 *
 * <p>Steady state allocates nothing per message on this thread except the {@link DeliveryTask} handed to the
 * delivery stage (see {@link Batch#toTask}); {@link #offerQueued} makes one small entry per message on the
 * caller's thread, because the recipient list it carries is the journal writer's and a pooled entry would have to be
 * returned across threads (docs/jmh.md has the measured figure).
 *
 * <p>Operator commands ({@link #steer}: flush, suspend/resume, hold/release, bounce) arrive through one more bounded
 * queue, one per cycle, and are applied by {@link QueueSteering}; held and suspended batches are parked there.
 *
 * <p>Shutdown: {@link #stopDispatching} (any thread) ends dispatching; results keep being recorded while the agent
 * runs, and {@link #isDrained} says when no task is in flight and every record has reached the journal writer.
 *
 * <p>Threading: {@link #doWork} and {@link #loadRecovered} on the scheduler thread only (see there for when to
 * load); offers, counters, {@link #stopDispatching} and {@link #isDrained} from any thread. Limits: a queued message
 * is refused (counted in {@link SchedulerCounters#refusedQueuedMessages}) when the inbound queue is full; the
 * caller keeps it and offers it again (the daemon's hand-off waits in an ordered backlog on the journal writer
 * thread, bounded by the pending-recipient back-pressure at ingress): nothing acknowledged waits for a restart. Domains
 * are dropped a minute after their last batch is done; sites (and their health) are never dropped.
 */
public final class Scheduler implements Agent {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Scheduler.class);
    private static final int DRAIN_LIMIT = 256;
    private static final int DISPATCH_LIMIT = 256;
    private static final int MAX_RECORDER_BACKLOG = 10_000;
    private static final int MAX_FREE_BATCHES = 4096;
    /** How long a domain's DNS answer is used before a new batch asks again, and how long an idle domain stays. */
    private static final long DOMAIN_MEMORY_MILLIS = 60_000;
    /**
     * How long a domain's temporary DNS failure answers for it: mail routed to it meanwhile is deferred with that
     * reply instead of asking again. Without it a resolver that fails fast (refused, SERVFAIL) gets one lookup per
     * batch, thousands a second under load.
     */
    static final long DNS_FAILURE_MEMORY_MILLIS = 2_000;

    /** One queued message on its way from the writer thread (see the class comment on why it is not pooled). */
    private record Queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients,
                          RouteInputs routeInputs) {
    }

    private final EpochClock clock;
    private final Runnable wakeUp;
    private final ManyToOneConcurrentArrayQueue<Queued> queuedIn;
    private final ManyToOneConcurrentArrayQueue<TaskResult> resultsIn;
    private final OperatorRequests operator;
    private final SchedulerCounters counters = new SchedulerCounters();
    private RetryPolicy policy;
    /** Reloaded routes (and unusable sources) waiting for the scheduler thread; null almost always. */
    private final AtomicReference<EgressChange> nextEgress = new AtomicReference<>();
    private final SourceChoice sources;
    private final Smarthosts smarthosts;
    /** Told of sessions to sites under an MTA-STS testing policy that enforce would have refused; null when off. */
    private final io.sluice.dns.MtaStsEnforcement mtaSts;
    private final SmarthostCircuits circuits;
    private final Consumer<Smarthosts.Smarthost> onSmarthostAddresses = this::onSmarthostAddresses;

    /** Routes and the sources that cannot send now, handed from a reload to the scheduler thread. */
    private record EgressChange(Router router, Set<String> unusableSources) {
    }

    /** Reloaded path limits waiting for the scheduler thread; null almost always. */
    private final AtomicReference<io.sluice.shaping.PathPolicy> nextPaths = new AtomicReference<>();
    /** A reloaded policy waiting for the scheduler thread to take it; null almost always. */
    private final AtomicReference<RetryPolicy> nextPolicy = new AtomicReference<>();
    private final RetryTimers timers;
    private final OutcomeRecorder recorder;
    /**
     * Given-up recipients the bounce sink refused, in order. While one waits here its OUTCOME is not written, so it
     * stays pending in the journal: a restart before the sink takes it decides it again.
     */
    private final OrderedBacklog<GivenUp> bounceHandoff;
    private final DomainTable domains;
    private final BatchIntake intake;
    private final Resolutions resolutions;
    private final DispatchRing ring;
    /** Reply-rule actions in force on paths (docs/shaping.md "Automation"). */
    private final ShapingActions shapingActions;
    /** The path policy's caps and rates at dispatch (shared with the ring and the resolutions). */
    private final PathGate gate;
    /** Rotation of sources per provider by their block and deferral rates. */
    private final SourceHealth health;
    /** Warm-up caps per source and provider (the source choice skips a capped source). */
    private final WarmupCaps warmup = new WarmupCaps();
    /** A reload's sources and shaping rules for the warm-up, waiting for the scheduler thread; null almost always. */
    private final AtomicReference<WarmupChange> nextWarmup = new AtomicReference<>();

    /** Sources and rules handed from a reload to the scheduler thread. */
    private record WarmupChange(List<io.sluice.config.SourceSettings> sources,
                                io.sluice.config.ShapingSettings.Rules rules) {
    }
    private final Consumer<SiteState> enterRing;
    private final BatchOutcomes outcomes;
    private final QueueSteering steering;
    private final Consumer<Queued> onQueued = this::onQueued;
    private final Consumer<TaskResult> onResult = this::onResult;
    private final Consumer<Object> onTimer = this::onTimer;
    private final Resolutions.Answered onAnswered = this::onAnswered;
    private final Consumer<Batch> onRequeue = this::route;
    private final Consumer<Batch> onRequeueUncounted = this::requeueUncounted;
    /** {@link #requeueUncounted}'s queue in progress: its source and provider (fields: no capturing lambda). */
    private String requeueSource;
    private String requeueProvider;

    private long now;
    private volatile boolean dispatching = true;
    private volatile boolean drained;

    /** A scheduler without an event log ({@link EventPublisher#NONE}). */
    public Scheduler(SchedulerOptions options, RetryPolicy policy, MxResolver resolver, Dispatcher dispatcher,
                     JournalWriter writer, BounceSink bounces, EpochClock clock, Random random, Runnable wakeUp) {
        this(options, policy, resolver, dispatcher, writer, bounces, EventPublisher.NONE, clock, random, wakeUp);
    }

    /**
     * @param events where delivered/deferred/bounced/expired events go (never blocks; may drop)
     * @param wakeUp called after every successful offer, e.g. to unpark the agent's idle strategy; may be a no-op
     */
    public Scheduler(SchedulerOptions options, RetryPolicy policy, MxResolver resolver, Dispatcher dispatcher,
                     JournalWriter writer, BounceSink bounces, EventPublisher events, EpochClock clock, Random random,
                     Runnable wakeUp) {
        this.clock = clock;
        this.wakeUp = wakeUp;
        this.policy = policy;
        this.queuedIn = new ManyToOneConcurrentArrayQueue<>(options.queueCapacity());
        this.resultsIn = new ManyToOneConcurrentArrayQueue<>(options.maxInFlight());
        this.now = clock.time();
        this.timers = new RetryTimers(now);
        this.recorder = new OutcomeRecorder(writer);
        this.bounceHandoff = new OrderedBacklog<>(bounces::offer);
        this.domains = new DomainTable(DOMAIN_MEMORY_MILLIS);
        BatchPool pool = new BatchPool(options.maxRecipientsPerTask(), MAX_FREE_BATCHES);
        this.outcomes = new BatchOutcomes(policy, recorder, new OutcomeEvents(events), bounces, bounceHandoff, timers,
                counters, pool, domains, random);
        Lanes lanes = new Lanes();
        this.shapingActions = new ShapingActions(timers, events);
        this.gate = new PathGate(io.sluice.shaping.PathPolicy.uniform(options.maxInFlightPerSite(),
                Integer.MAX_VALUE), shapingActions);
        this.resolutions = new Resolutions(options, resolver, wakeUp, counters, lanes, gate);
        this.health = new SourceHealth(events);
        this.sources = new SourceChoice(resolutions, lanes, Router.compile(EgressSettings.defaults(null, "localhost")),
                gate, warmup, health);
        this.smarthosts = new Smarthosts(resolver, wakeUp);
        this.mtaSts = resolver.mtaStsEnforcement();
        this.circuits = new SmarthostCircuits(smarthosts, events);
        this.ring = new DispatchRing(options, dispatcher, policy, timers, counters, this::expire,
                this::parkIfBlocked, gate);
        this.enterRing = ring::enterRing;
        this.ring.onSmarthostProbe(h -> circuits.transition(h, Smarthosts.Transition.HALF_OPEN, null, now));
        this.intake = new BatchIntake(domains, pool, timers, counters, this::route, random,
                options.recoverySpreadMillis());
        this.steering = new QueueSteering(domains, resolutions, ring, timers, counters, outcomes, this::route,
                this::onTimer, this::isExpired, this::expire);
        this.operator = new OperatorRequests(new QueueSummary(domains, resolutions, ring, timers, counters), steering,
                wakeUp);
        this.operator.lifter(this::liftShaping);
    }

    @Override
    public String roleName() {
        return "sluice-scheduler";
    }

    /**
     * A newly durable message (the journal's {@code QueuedListener}). Any thread; false if the queue is full, and
     * then the caller must keep the message and offer it again (nothing else will bring it back before a restart).
     */
    public boolean offerQueued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
        return offerQueued(id, bodiesIndex, receivedAtMillis, recipients, RouteInputs.UNKNOWN);
    }

    /** As above, with what the message's route is chosen by (kept on its batches). */
    public boolean offerQueued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients,
                               RouteInputs routeInputs) {
        if (queuedIn.offer(new Queued(id, bodiesIndex, receivedAtMillis, recipients, routeInputs))) {
            wakeUp.run();
            return true;
        }
        counters.refusedQueued();
        return false;
    }

    /** The delivery stage's report on a dispatched task. Any thread; never fails for a task in flight. */
    public boolean offerResult(TaskResult result) {
        boolean taken = resultsIn.offer(result);
        if (taken) {
            wakeUp.run();
        }
        return taken;
    }

    /**
     * Queues every pending recipient of a recovered pending set: deferred ones at their recorded due time (with
     * their attempts), the rest spread uniformly over {@code recoverySpreadMillis} so a restart does not fire
     * everything at once. Call before the agent runs, after {@code JournalWriter.start} (the writer feeds
     * {@link #offerQueued}) but before ingress opens: until then nothing changes the set (the writer only changes it
     * for new messages and for this scheduler's records), so reading it here is safe. Expiry counts from each
     * message's received time as the journal recorded it ({@code PendingMessage.receivedAtMillis}).
     */
    public void loadRecovered(PendingSet pending) {
        now = clock.time();
        pending.forEach(m -> intake.recovered(m, m.receivedAtMillis(), now));
    }

    /**
     * A reload's retry policy ({@code delivery.retry.*}, {@code delivery.max_age}): the scheduler thread takes it at
     * the start of its next cycle, and every later deferral and expiry check follows it. Retries already on the
     * timer wheel keep their due time. Any thread; the last of several quick calls wins.
     */
    public void changeRetryPolicy(RetryPolicy next) {
        nextPolicy.set(Objects.requireNonNull(next, "next"));
        wakeUp.run();
    }

    /**
     * Routes and pools from a reload (or the start): the scheduler thread takes them at the start of its next cycle;
     * every later placement of a batch evaluates them, so mail already queued follows them at its next attempt.
     * {@code unusableSources}: source names that cannot send now (address not on this host), never picked. Any
     * thread; the last of several quick calls wins.
     */
    public void changeEgress(Router router, Set<String> unusableSources) {
        nextEgress.set(new EgressChange(Objects.requireNonNull(router, "router"), Set.copyOf(unusableSources)));
        wakeUp.run();
    }

    /**
     * The path limits of a settings snapshot ({@link io.sluice.shaping.PathPolicy}: connections per (source, site)),
     * at start and at every reload: the scheduler thread takes them at the start of its next cycle and caps every
     * ready queue's concurrency window with them (deliveries in flight finish). Any thread; the last call wins.
     */
    public void changePathPolicy(io.sluice.shaping.PathPolicy next) {
        nextPaths.set(Objects.requireNonNull(next, "next"));
        wakeUp.run();
    }

    /**
     * Asks for a {@link QueueSnapshot} of the pending recipients by domain and site (the admin API's {@code queue});
     * the scheduler builds it on its own thread at its next cycle ({@link QueueSummary}) and completes the future
     * there ({@link OperatorRequests}). Any thread. The future fails at once with {@link IllegalStateException}
     * when {@value OperatorRequests#MAX_SNAPSHOT_REQUESTS} requests already wait; it never completes if the agent is
     * not running, so wait with a timeout.
     *
     * @param domain restrict to this domain (case-insensitive), or null for all
     * @param limit  most rows per list, at least 1
     */
    public java.util.concurrent.CompletableFuture<QueueSnapshot> requestSnapshot(String domain, int limit) {
        return operator.snapshot(domain, limit);
    }

    /**
     * Hands an operator's {@link SteeringCommand} to the scheduler, which applies it on its own thread at its next
     * cycle ({@link QueueSteering}) and completes the future there with what it did. Any thread. The future fails at
     * once with {@link IllegalStateException} when {@value OperatorRequests#MAX_STEERING_REQUESTS} commands already
     * wait; it never completes if the agent is not running, so wait with a timeout.
     */
    public java.util.concurrent.CompletableFuture<SteeringResult> steer(SteeringCommand command) {
        return operator.steer(command);
    }

    /**
     * Loads the persisted suspensions and holds ({@link SteeringState#read}). Call before the agent runs, like
     * {@link #loadRecovered} (before or after it: recovered recipients are on timers and park when they come due).
     */
    public void restoreSteering(SteeringState state) {
        steering.restore(state);
    }

    /**
     * Stops handing out tasks (shutdown); everything else goes on: results are recorded, retries come due and
     * wait in their ready queues. Any thread; not reversible.
     */
    public void stopDispatching() {
        dispatching = false;
        wakeUp.run();
    }

    /**
     * True once, as of the end of the last cycle, no task is in flight, no record or given-up recipient waits
     * in a backlog and no operator bounce is still being given up: every decision made so far has been offered to
     * the journal writer (or the bounce sink). Any
     * thread; meaningful after {@link #stopDispatching}.
     */
    public boolean isDrained() {
        return drained;
    }

    @Override
    public int doWork() {
        now = clock.time();
        if (nextPaths.get() != null) { // one volatile read per cycle; no allocation. Before the egress below: mail
            ring.pathPolicy(nextPaths.getAndSet(null), resolutions.sites()); // placed again takes the new limits
        }
        if (nextEgress.get() != null) { // one volatile read per cycle; no allocation
            EgressChange change = nextEgress.getAndSet(null);
            sources.change(change.router(), change.unusableSources());
            smarthosts.change(change.router(), now);
            circuits.publish(now);
            replaceReadyAfterReload();
        }
        if (nextPolicy.get() != null) { // one volatile read per cycle; no allocation
            takePolicy(nextPolicy.getAndSet(null));
        }
        if (nextWarmup.get() != null) { // one volatile read per cycle; no allocation
            WarmupChange w = nextWarmup.getAndSet(null);
            warmup.change(w.sources(), w.rules(), now);
            health.rotation(w.rules() == null ? null : w.rules().rotation());
        }
        int work = recorder.flush();
        work += bounceHandoff.flush();
        work += outcomes.flushHardBounces();
        work += resultsIn.drain(onResult, DRAIN_LIMIT);
        work += resolutions.drain(DRAIN_LIMIT, now, onAnswered);
        work += smarthosts.drain(now, onSmarthostAddresses);
        work += smarthosts.lookUp(now);
        work += queuedIn.drain(onQueued, DRAIN_LIMIT);
        work += operator.drain(now);
        work += steering.tick(now, bounceHandoff.size() < MAX_RECORDER_BACKLOG
                && recorder.backlog() < MAX_RECORDER_BACKLOG);
        work += timers.poll(now, onTimer);
        work += warmup.tick(now);
        work += resolutions.start();
        work += domains.evictIdle(now, DRAIN_LIMIT);
        boolean recordsFlow = recorder.backlog() < MAX_RECORDER_BACKLOG && bounceHandoff.size() < MAX_RECORDER_BACKLOG;
        if (dispatching && recordsFlow) {
            work += ring.wakePaced(now);
            work += ring.dispatch(now, DISPATCH_LIMIT);
        }
        if (recordsFlow) { // expiries are records too: none while the writer's backlog is long
            work += ring.expireWaiting(now);
        }
        counters.publish();
        drained = ring.tasksInFlight() == 0 && recorder.backlog() == 0 && bounceHandoff.size() == 0
                && steering.bouncing() == 0 && outcomes.hardBounceBacklog() == 0;
        return work;
    }

    /**
     * After a reload: every batch waiting in a ready queue is placed again under the new routes, in order, so a
     * changed route, pool or smarthost applies to mail already queued (held mail at an open smarthost included); mail
     * in flight finishes where it is. Mail taken off a source or smarthost that no route can use any more is logged
     * and counted ({@link SchedulerCounters#reroutedRecipients}).
     */
    private void replaceReadyAfterReload() {
        for (SiteState site : new java.util.ArrayList<>(resolutions.sites())) {
            if (site.ready.isEmpty()) {
                continue;
            }
            boolean smarthostGone = site.group.smarthost != null && !site.group.smarthost.inUse;
            if (smarthostGone || !sources.pickable(site.readyKey.source())) {
                long recipients = site.ready.recipients();
                counters.rerouted += recipients;
                LOG.info("reload: {} recipients waiting at {} placed "
                        + "again under the new routes ({} no longer in use)", recipients, site.readyKey,
                        smarthostGone ? "smarthost " + site.group.smarthost.name : "source " + site.readyKey.source());
            }
            if (site.group.smarthost == null) { // placed again: the warm-up count it took is given back first
                requeueSource = site.readyKey.source();
                requeueProvider = gate.shapeOf(site.group).providerKey();
                ring.takeBack(site, onRequeueUncounted);
            } else {
                ring.takeBack(site, onRequeue);
            }
        }
    }

    private void takePolicy(RetryPolicy next) {
        if (next != null) {
            policy = next;
            outcomes.policy(next);
            ring.policy(next);
        }
    }

    private void onQueued(Queued q) {
        intake.queued(q.id(), q.bodiesIndex(), q.receivedAtMillis(), q.recipients(), q.routeInputs(), now);
    }

    /**
     * Uses the suppression list: every recipient entering from now on (newly queued, or recovered: call this before
     * {@link #loadRecovered}) that {@code check} holds is final at once (OUTCOME suppressed, a {@code suppressed}
     * event), and hard bounces go to {@code hardBounces} (in order; kept while it is full). Before the agent runs.
     */
    public void useSuppression(SuppressionCheck check, HardBounceSink hardBounces) {
        intake.suppression(check, (id, index, address, inputs, reason, receivedAt, at) -> outcomes.suppressed(id,
                index, address, null, reason, receivedAt, at));
        outcomes.hardBounces(hardBounces);
    }

    /** The ring's parking check (a method, not a lambda on the field: the ring is built before the steering). */
    private boolean parkIfBlocked(Batch b) {
        return steering.parkIfBlocked(b);
    }

    /** Puts a batch where it belongs now: expired, parked by an operator, at its site's ready queue, or at DNS. */
    private void route(Batch b) {
        b.waitsForSmarthost = false; // placed anew: only a fresh failover deferral sets it again
        DomainState d = b.domain;
        if (d.site != null && now - d.answeredAtMillis >= DOMAIN_MEMORY_MILLIS) {
            d.site = null; // an old answer: look again (the resolver's cache honours the TTL)
        }
        Route route = sources.route(b); // once per placement: allocation-free, and the same for every use below
        b.verpDomain = route.verpDomain(); // before any give-up: a VERP route's sender gets no DSN
        if (policy.isExpired(now, b.receivedAtMillis)) {
            expire(b);
            return;
        }
        if (steering.parkIfBlocked(b)) {
            return; // on its domain's parked queue until released or resumed
        }
        if (route.path() instanceof SmarthostPath path) {
            placeOnSmarthost(b, route, path); // no MX lookup: the smarthost takes mail for every domain
        } else if (d.site != null) {
            placeAt(b, route, d.site);
        } else if (d.failure != null && now - d.failedAtMillis < DNS_FAILURE_MEMORY_MILLIS) {
            onAnswered(b, d.failure);
        } else {
            resolutions.await(b);
        }
    }

    /**
     * {@code b} joins its ready queue at {@code site} (source picked from its route's pool), or is deferred. A batch
     * larger than the site's {@code recipients_per_transaction} (shaping) is split first, each part placed on its
     * own (one transaction each); on a VERP route every recipient is a transaction of its own (its return path
     * names it), also towards a smarthost.
     */
    private void placeAt(Batch b, Route route, SiteGroup site) {
        if (site.smarthost == null || b.verpDomain != null) {
            int keep = b.verpDomain != null ? 1 : gate.shapeOf(site).recipientsPerTransaction();
            if (b.size > keep) {
                for (Batch part : intake.split(b, keep)) { // b first; each part at most keep: no further split
                    placeOne(part, route, site);
                }
                return;
            }
        }
        placeOne(b, route, site);
    }

    /** {@code b}, of at most one transaction's recipients, joins its ready queue at {@code site}, or is deferred. */
    private void placeOne(Batch b, Route route, SiteGroup site) {
        SiteState queue = sources.readyQueue(b, route, site, now);
        if (queue != null) {
            ring.addReady(queue, b);
        } else if (sources.cappedByWarmup()) { // waits for the next UTC day, never bounced for it
            outcomes.deferUntil(b, 451, "4.4.0", "4.4.0 " + sources.noSourceReason(b),
                    WarmupCaps.nextUtcDay(now), now);
        } else {
            outcomes.defer(b, 451, "4.4.0", "4.4.0 " + sources.noSourceReason(b), null, -1, now);
        }
    }

    /**
     * {@code b} goes to the smarthost its route's path chooses now ({@link Smarthosts#choose}); when none can take
     * it, it waits (held, no record) at the one whose probe comes first.
     */
    private void placeOnSmarthost(Batch b, Route route, SmarthostPath path) {
        Smarthosts.Smarthost h = smarthosts.choose(b, path, now);
        if (h == null) {
            h = smarthosts.waitingPlace(path);
        }
        if (h == null) { // cannot happen: the router and the smarthosts come from one snapshot
            outcomes.defer(b, 451, "4.4.0", "4.4.0 no smarthost of its route is known", null, -1, now);
            return;
        }
        placeAt(b, route, h.group);
    }

    /**
     * A smarthost's host got addresses: its ready queues may go, and mail that waited at smarthosts still without
     * addresses (the only place left when none had any) is placed again: it may go here now.
     */
    private void onSmarthostAddresses(Smarthosts.Smarthost h) {
        for (int i = 0; i < h.group.size(); i++) {
            ring.enterRing(h.group.state(i));
        }
        for (Smarthosts.Smarthost other : smarthosts.all()) {
            if (other.hosts == null) {
                takeBackAll(other.group);
            }
        }
        circuits.publish(now);
    }

    private boolean isExpired(Batch b) {
        return policy.isExpired(now, b.receivedAtMillis);
    }

    private void expire(Batch b) {
        outcomes.finish(b, OutcomeCode.EXPIRED, 0, "4.4.7", GivenUp.EXPIRED_TEXT, now);
    }

    private void onAnswered(Batch b, Destination answer) {
        if (answer instanceof Destination.Permanent p) {
            outcomes.finish(b, OutcomeCode.BOUNCED, p.code(), p.enhancedStatus(), p.text(), now);
        } else if (answer instanceof Destination.Temporary t) {
            outcomes.defer(b, t.code(), t.enhancedStatus(), t.enhancedStatus() + " " + t.text(), null, -1, now);
        } else {
            route(b);
        }
    }

    private void onResult(TaskResult r) {
        Batch b = ring.completed(r, now);
        if (b == null) {
            return; // unknown or duplicate report: nothing is waiting for it
        }
        SiteState site = b.site;
        if (mtaSts != null && r.site() == TaskResult.SiteSignal.CONNECTED
                && site.group.key.mtaSts() == io.sluice.dns.MtaStsPolicy.Mode.TESTING
                && (r.tls() == null || !r.tls().verified())) {
            mtaSts.reportUnverified(site.group.key, r.mxHost());
        }
        if (r.site() == TaskResult.SiteSignal.CONNECTED && site.group.smarthost == null) {
            boolean deferredWhole = r.allDeferred(true);
            boolean blocked = blocked(r);
            warmup.attempted(site.readyKey.source(), deferredWhole, blocked, now);
            health.observe(site.readyKey.source(), gate.shapeOf(site.group).providerKey(), deferredWhole, blocked,
                    now);
        }
        if (r.fired() != null) {
            ActionTarget changed = shapingActions.fired(site, r.fired(), now);
            if (changed != null) {
                gate.actionsChanged(changed, enterRing);
            }
        }
        if (r.site() == TaskResult.SiteSignal.NOT_ATTEMPTED) {
            ring.handBack(b);
            for (int i = 0; i < site.group.size() && site.group.smarthost != null; i++) {
                ring.enterRing(site.group.state(i)); // its probe was not used up: any queue of the smarthost may go
            }
        } else if (site.group.smarthost != null) {
            onSmarthostResult(b, r, site.group.smarthost);
        } else {
            outcomes.apply(b, r, now);
        }
        ring.enterRing(site);
    }

    /**
     * A result from a smarthost. Its breaker has counted it ({@link DispatchRing#completed}); a transition moves the
     * waiting mail: opened or a failed probe, the smarthost's ready mail is placed again (to the next smarthost);
     * closed, the mail held at open ones is placed again. A path failure (no connection, or the session broke with
     * no reply about the mail) sends the batch to the route's next smarthost at once, with no record. When it has
     * failed on every one that can take mail now, it is deferred with the breakers' states in the reason: on its
     * retry timer when some breaker is still closed (a smarthost that lets us in and then breaks sessions must
     * not be retried in a loop), else held at the smarthost whose probe comes first (its DEFERRED records keep the
     * retry time for a restart).
     */
    private void onSmarthostResult(Batch b, TaskResult r, Smarthosts.Smarthost h) {
        boolean pathFailed = SmarthostCircuits.isPathFailure(r);
        Smarthosts.Transition t = Smarthosts.observe(h, b.probing && pathFailed);
        if (t == Smarthosts.Transition.NONE) {
            circuits.counted(h, now); // the failure count shown by status may have changed
        } else {
            circuits.transition(h, t, r, now);
            if (t == Smarthosts.Transition.CLOSED) {
                replaceHeldAtOpenSmarthosts();
                retryNowWhatWaitsFor(h);
            } else {
                takeBackAll(h.group);
            }
        }
        for (int i = 0; i < h.group.size(); i++) {
            ring.enterRing(h.group.state(i)); // a shared breaker: another source's queue may go now
        }
        if (!pathFailed || !(sources.route(b).path() instanceof SmarthostPath path)) {
            b.smarthostsFailed = 0;
            outcomes.apply(b, r, now);
            return;
        }
        int index = Smarthosts.indexOf(path, h);
        if (index >= 0 && index < Long.SIZE) {
            b.smarthostsFailed |= 1L << index;
        }
        if (smarthosts.choose(b, path, now) != null) {
            b.site = null;
            route(b); // failover at once: no record, no attempt counted
            return;
        }
        b.smarthostsFailed = 0;
        TaskResult described = SmarthostCircuits.withState(r, smarthosts.describe(path, now));
        if (smarthosts.anyClosed(path)) {
            b.waitsForSmarthost = true; // a breaker that closes brings it back before its timer
            outcomes.apply(b, described, now); // a closed one failed it too: the retry timer, not at once again
        } else {
            outcomes.applyAndPlace(b, described, now, onRequeue); // every breaker open: wait for a probe
        }
    }

    /** Mail held at smarthosts whose breaker is open is placed again (one closed: it may take it now). */
    private void replaceHeldAtOpenSmarthosts() {
        for (Smarthosts.Smarthost other : smarthosts.all()) {
            if (other.breaker.isDead()) {
                takeBackAll(other.group);
            }
        }
    }

    /**
     * Batches on a retry timer because every smarthost of their route failed them ({@link Batch#waitsForSmarthost})
     * whose route has {@code h}: retried now, as if their timers fired ({@code h}'s breaker just closed).
     */
    private void retryNowWhatWaitsFor(Smarthosts.Smarthost h) {
        for (Batch w : timers.batchesWhere(x -> x.waitsForSmarthost)) {
            if (sources.route(w).path() instanceof SmarthostPath p && Smarthosts.indexOf(p, h) >= 0) {
                timers.cancel(w.timerId);
                onTimer(w);
            }
        }
    }

    /** Takes every ready batch of every queue of {@code group} and places it again. */
    private void takeBackAll(SiteGroup group) {
        for (int i = 0; i < group.size(); i++) {
            ring.takeBack(group.state(i), onRequeue);
        }
    }

    private void onTimer(Object target) {
        if (target instanceof Batch b) {
            b.timerId = RetryTimers.NONE;
            b.waitsForSmarthost = false;
            counters.scheduled -= b.size;
            b.domain.site = null; // a retry looks the domain up again
            route(b);
        } else if (target instanceof SiteState site) {
            ring.probeDue(site);
        } else if (target instanceof ActiveAction a) {
            ActionTarget t = shapingActions.expire(a, now);
            if (t != null) {
                gate.actionsChanged(t, enterRing);
            }
        }
    }

    /** A batch taken back from a ready queue by a reload: its placement's warm-up count is undone, then it is routed. */
    private void requeueUncounted(Batch b) {
        warmup.unplaced(requeueSource, requeueProvider);
        route(b);
    }

    /** A recipient refused for policy (5xx with a 5.7.x status): a block, for the warm-up's block rate. */
    private static boolean blocked(TaskResult r) {
        for (int i = 0; i < r.recipients().size(); i++) {
            RecipientResult rr = r.recipients().get(i);
            if (rr.kind() == RecipientResult.Kind.PERMANENT && !rr.local() && rr.enhancedStatus() != null
                    && rr.enhancedStatus().startsWith("5.7.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The sources and shaping rules for warm-up and rotation (at start and every reload): sources with
     * {@code warmup} get daily caps from their schedule; the rules' {@code rotation} thresholds apply. Any thread;
     * taken at the next cycle.
     */
    public void changeWarmup(List<io.sluice.config.SourceSettings> configured,
                             io.sluice.config.ShapingSettings.Rules rules) {
        nextWarmup.set(new WarmupChange(List.copyOf(configured), rules));
        wakeUp.run();
    }

    /** Persisted warm-up progress to pick up; before the agent runs and before {@link #changeWarmup} applies. */
    public void restoreWarmup(WarmupState state) {
        warmup.restore(state);
    }

    /** Who writes the warm-up progress (at most once a second while it changes). Set before start. */
    public void persistWarmupWith(Consumer<WarmupState> persister) {
        warmup.persistWith(persister);
    }

    /**
     * Publishes what is not yet (the warm-up counts of the last second) to the persisters. Only once the agent has
     * stopped (a clean stop): it touches the scheduler thread's state.
     */
    public void persistNow() {
        warmup.publishNow(clock.time());
    }

    /** The sources out of rotation for a provider now (status, metrics). Any thread. */
    public List<SourceRotation> rotation() {
        return health.snapshot();
    }

    /** The warm-up progress as of its last publication (at most a second old while mail flows). Any thread. */
    public WarmupState warmupState() {
        return warmup.snapshot();
    }

    /** Ends shaping actions early (an operator's resume); scheduler thread. */
    private int liftShaping(String provider, String site, String source, long nowMillis) {
        return shapingActions.lift(provider, site, source, nowMillis, t -> gate.actionsChanged(t, enterRing));
    }

    /**
     * Ends the reply-rule actions on a provider's paths ({@code provider}) or a site's ({@code site}, the key as
     * text), from one source or every source ({@code source} null), at the next cycle: an operator's
     * {@code sluice resume --provider}. Completes with how many ended. Any thread; wait with a timeout.
     */
    public java.util.concurrent.CompletableFuture<Integer> resumeShaping(String provider, String site,
                                                                          String source) {
        return operator.lift(provider, site, source);
    }

    /** The shaping actions in force as of the last change (status, metrics). Any thread. */
    public ShapingState shapingState() {
        return shapingActions.snapshot();
    }

    /** Who writes the shaping actions after every change (the daemon: the journal directory). Set before start. */
    public void persistShapingWith(Consumer<ShapingState> persister) {
        shapingActions.persistWith(persister);
    }

    /** Puts persisted shaping actions back in force; before the agent runs, like {@link #restoreSteering}. */
    public void restoreShaping(ShapingState state) {
        shapingActions.restore(state, clock.time());
    }

    /** The domain of a recipient address as the scheduler groups it: after the last {@code @}, lower case. */
    static String domainOf(String address) {
        return DomainTable.domainOf(address);
    }

    /** Every smarthost the routes name, with its breaker's state as of its last change. Any thread. */
    public List<SmarthostStatus> smarthosts() {
        return circuits.snapshot();
    }

    /** Gauges for metrics; readable from any thread. */
    public SchedulerCounters counters() {
        return counters;
    }

    /** No resolution in flight or wanted. Scheduler thread (tests). */
    boolean dnsIdle() {
        return resolutions.idle();
    }

    /** Journal records (and given-up recipients) waiting because the writer or the bounce sink was full. */
    int recorderBacklog() {
        return recorder.backlog() + bounceHandoff.size();
    }
}
