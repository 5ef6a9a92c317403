package io.sluice.scheduler;

import io.sluice.dns.Destination;
import io.sluice.dns.MxResolver;
import io.sluice.events.EventPublisher;
import io.sluice.journal.OutcomeCode;
import io.sluice.journal.PendingMessage;
import io.sluice.journal.PendingSet;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The delivery scheduler (DESIGN.md "Threading", "Retries and health"): one Agrona {@link Agent} that owns every
 * pending recipient's place in line and decides what is tried when.
 *
 * <p>Inputs, all through bounded MPSC queues and non-blocking from any thread: {@link #offerQueued} (the journal's
 * {@code QueuedListener}), DNS completions (it calls {@link MxResolver#resolve} itself, one resolution in flight
 * per domain, and reserves a completion slot before asking), and {@link #offerResult} (the delivery stage; a slot
 * is reserved per task in flight, so it cannot fail for a dispatched task). Outputs: {@link DeliveryTask}s to the
 * {@link Dispatcher}, OUTCOME and DEFERRED records to the journal writer (backlogged, never dropped, see
 * {@link OutcomeRecorder}), given-up recipients to the {@link BounceSink} when it takes outcomes (it then writes
 * the DSN and the OUTCOME; backlogged the same way, see {@link BounceHandoff}), delivery events for each decision to the
 * {@link EventPublisher} ({@link OutcomeEvents}; non-blocking, may drop).
 *
 * <p>Flow: recipients of a message are grouped per domain (lower-cased part after the last {@code @}) into
 * {@link Batch}es of at most {@code maxRecipientsPerTask}; a batch waits at its domain until DNS names the site,
 * then joins the site's ready queue, so domains at the same MX hosts share one queue. Sites with ready work sit in
 * a round-robin ring and each gets one task per turn, within its cap ({@code maxInFlightPerSite}) and its
 * {@link SiteHealth} (a dead site gets one probe at a time, when due). TEMPORARY results and temporary DNS
 * failures write DEFERRED and set a retry on the timer wheel ({@link RetryTimers}) at the {@link RetryPolicy}
 * time; when a retry comes due the domain is resolved again. Expiry ({@code max_age}) is checked whenever a
 * batch is (re)queued, comes due or reaches the head of a ready queue; retry times never pass the expiry. Not
 * yet checked for tasks in flight (the delivery stage's timeouts bound those).
 *
 * <p>Threading: {@link #doWork} and {@link #loadRecovered} on the scheduler thread only (see there for when to
 * load); offers and counters from any thread. Limits: a queued message is refused (counted in
 * {@link SchedulerCounters#refusedQueuedMessages}) when the inbound queue is full; it stays
 * pending in the journal and comes back at the next restart. Sites are never forgotten (their health matters);
 * domains are dropped when their last batch is done.
 */
public final class Scheduler implements Agent {
    private static final int DRAIN_LIMIT = 256;
    private static final int DISPATCH_LIMIT = 256;
    private static final int MAX_RECORDER_BACKLOG = 10_000;

    private record Queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
    }

    private record Resolved(DomainState domain, Destination destination) {
    }

    private final SchedulerOptions options;
    private final RetryPolicy policy;
    private final MxResolver resolver;
    private final Dispatcher dispatcher;
    private final OutcomeRecorder recorder;
    private final OutcomeEvents events;
    private final BounceSink bounces;
    private final BounceHandoff bounceHandoff;
    private final EpochClock clock;
    private final Random random;
    private final Runnable wakeUp;

    private final ManyToOneConcurrentArrayQueue<Queued> queuedIn;
    private final ManyToOneConcurrentArrayQueue<Resolved> dnsIn;
    private final ManyToOneConcurrentArrayQueue<TaskResult> resultsIn;

    private final Map<String, DomainState> domains = new HashMap<>();
    private final Map<io.sluice.dns.SiteKey, SiteState> sites = new HashMap<>();
    private final ArrayDeque<SiteState> ring = new ArrayDeque<>();
    private final ArrayDeque<DomainState> resolveWanted = new ArrayDeque<>();
    private final Long2ObjectHashMap<Batch> inFlight = new Long2ObjectHashMap<>();
    private final RetryTimers timers;
    private final java.util.function.Consumer<Object> onTimer = this::onTimer;

    private long now;
    private long nextTaskId = 1;
    private int dnsInFlight;
    private final SchedulerCounters counters = new SchedulerCounters();
    
    /** A scheduler without an event log ({@link EventPublisher#NONE}). */
    public Scheduler(SchedulerOptions options, RetryPolicy policy, MxResolver resolver, Dispatcher dispatcher,
                     io.sluice.journal.JournalWriter writer, BounceSink bounces, EpochClock clock, Random random,
                     Runnable wakeUp) {
        this(options, policy, resolver, dispatcher, writer, bounces, EventPublisher.NONE, clock, random, wakeUp);
    }

    /**
     * @param events where delivered/deferred/bounced/expired events go (never blocks; may drop)
     * @param wakeUp called after every successful offer, e.g. to unpark the agent's idle strategy; may be a no-op
     */
    public Scheduler(SchedulerOptions options, RetryPolicy policy, MxResolver resolver, Dispatcher dispatcher,
                     io.sluice.journal.JournalWriter writer, BounceSink bounces, EventPublisher events,
                     EpochClock clock, Random random, Runnable wakeUp) {
        this.options = options;
        this.policy = policy;
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.recorder = new OutcomeRecorder(writer);
        this.events = new OutcomeEvents(events);
        this.bounces = bounces;
        this.bounceHandoff = new BounceHandoff(bounces);
        this.clock = clock;
        this.random = random;
        this.wakeUp = wakeUp;
        this.queuedIn = new ManyToOneConcurrentArrayQueue<>(options.queueCapacity());
        this.dnsIn = new ManyToOneConcurrentArrayQueue<>(options.maxDnsInFlight());
        this.resultsIn = new ManyToOneConcurrentArrayQueue<>(options.maxInFlight());
        this.now = clock.time();
        this.timers = new RetryTimers(now);
    }

    @Override
    public String roleName() {
        return "sluice-scheduler";
    }

    /** A newly durable message (the journal's {@code QueuedListener}). Any thread; false if the queue is full. */
    public boolean offerQueued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
        if (queuedIn.offer(new Queued(id, bodiesIndex, receivedAtMillis, recipients))) {
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
     * for new messages and for this scheduler's records), so reading it here is safe.
     */
    public void loadRecovered(PendingSet pending, ReceivedTimes receivedTimes) {
        now = clock.time();
        pending.forEach(m -> loadMessage(m, receivedTimes.receivedAtMillis(m.id())));
    }

    private void loadMessage(PendingMessage m, long receivedAt) {
        Map<String, Batch> open = new HashMap<>();
        for (int i = 0; i < m.recipientCount(); i++) {
            if (!m.isPending(i)) {
                continue;
            }
            String address = m.recipient(i);
            long due = m.isDeferred(i) ? m.nextDueMillis(i) : 0;
            String key = domainOf(address) + '\n' + due;
            Batch b = open.get(key);
            if (b == null || b.isFull()) {
                b = newBatch(m.id(), m.bodiesIndex(), receivedAt, domainOf(address));
                open.put(key, b);
                long at = due > 0 ? due : now + (long) (random.nextDouble() * options.recoverySpreadMillis());
                schedule(b, at);
            }
            b.add(i, address, m.attempts(i));
            counters.scheduled++;
        }
    }

    @Override
    public int doWork() {
        now = clock.time();
        int work = recorder.flush();
        work += bounceHandoff.flush();
        work += resultsIn.drain(this::onResult, DRAIN_LIMIT);
        work += dnsIn.drain(this::onResolved, DRAIN_LIMIT);
        work += queuedIn.drain(this::onQueued, DRAIN_LIMIT);
        work += timers.poll(now, onTimer);
        work += startResolutions();
        if (recorder.backlog() < MAX_RECORDER_BACKLOG && bounceHandoff.backlog() < MAX_RECORDER_BACKLOG) {
            work += dispatchRound();
        }
        counters.publish();
        return work;
    }

    private void onQueued(Queued q) {
        Map<String, Batch> byDomain = new HashMap<>();
        List<String> recipients = q.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            String address = recipients.get(i);
            String domain = domainOf(address);
            Batch b = byDomain.get(domain);
            if (b == null || b.isFull()) {
                if (b != null) {
                    route(b);
                }
                b = newBatch(q.id(), q.bodiesIndex(), q.receivedAtMillis(), domain);
                byDomain.put(domain, b);
            }
            b.add(i, address, 0);
        }
        for (Batch b : byDomain.values()) {
            route(b);
        }
    }

    private Batch newBatch(long id, long bodiesIndex, long receivedAt, String domainName) {
        DomainState d = domains.computeIfAbsent(domainName, DomainState::new);
        d.liveBatches++;
        return new Batch(id, bodiesIndex, receivedAt, d, options.maxRecipientsPerTask());
    }

    /** Puts a batch where it belongs now: expired, at its site's ready queue, or waiting for DNS. */
    private void route(Batch b) {
        if (policy.isExpired(now, b.receivedAtMillis)) {
            finish(b, OutcomeCode.EXPIRED, 0, "4.4.7", "Message expired: max_age reached");
            return;
        }
        DomainState d = b.domain;
        if (d.site != null) {
            addReady(d.site, b);
        } else {
            d.waiting.addLast(b);
            counters.scheduled += b.size;
            wantResolve(d);
        }
    }

    private void addReady(SiteState site, Batch b) {
        b.site = site;
        site.ready.addLast(b);
        counters.ready += b.size;
        enterRing(site);
    }

    private void enterRing(SiteState site) {
        if (!site.inRing && !site.ready.isEmpty()) {
            site.inRing = true;
            ring.addLast(site);
        }
    }

    private void wantResolve(DomainState d) {
        if (!d.resolving && !d.wantsResolve) {
            d.wantsResolve = true;
            resolveWanted.addLast(d);
        }
    }

    /** Starts resolutions while completion slots are free (reserve before asking). */
    private int startResolutions() {
        int n = 0;
        while (dnsInFlight < options.maxDnsInFlight() && !resolveWanted.isEmpty()) {
            DomainState d = resolveWanted.pollFirst();
            d.wantsResolve = false;
            d.resolving = true;
            dnsInFlight++;
            resolver.resolve(d.name).thenAccept(dest -> {
                dnsIn.offer(new Resolved(d, dest)); // a slot is reserved by dnsInFlight
                wakeUp.run();
            });
            n++;
        }
        return n;
    }

    private void onResolved(Resolved r) {
        dnsInFlight--;
        DomainState d = r.domain();
        d.resolving = false;
        Destination dest = r.destination();
        if (dest instanceof Destination.Hosts hosts) {
            d.hosts = hosts;
            d.site = sites.computeIfAbsent(hosts.site(), key -> new SiteState(key,
                    new SiteHealth(options.failuresToDie(), options.firstProbeMillis(), options.maxProbeMillis())));
        }
        Batch b;
        while ((b = d.waiting.poll()) != null) {
            counters.scheduled -= b.size;
            if (dest instanceof Destination.Permanent p) {
                finish(b, OutcomeCode.BOUNCED, p.code(), p.enhancedStatus(), p.text());
            } else if (dest instanceof Destination.Temporary t) {
                defer(b, t.code(), t.enhancedStatus(), t.enhancedStatus() + " " + t.text(), null, -1);
            } else {
                route(b);
            }
        }
    }

    private int dispatchRound() {
        int dispatched = 0;
        while (dispatched < DISPATCH_LIMIT && !ring.isEmpty()) {
            SiteState site = ring.pollFirst();
            site.inRing = false;
            if (site.ready.isEmpty() || site.inFlight >= options.maxInFlightPerSite()
                    || inFlight.size() >= options.maxInFlight()) {
                continue; // comes back when a result frees a slot
            }
            if (!site.health.mayConnect(now)) {
                scheduleProbe(site);
                continue;
            }
            Batch b = site.ready.poll();
            if (policy.isExpired(now, b.receivedAtMillis)) {
                counters.ready -= b.size;
                finish(b, OutcomeCode.EXPIRED, 0, "4.4.7", "Message expired: max_age reached");
                enterRing(site);
                continue;
            }
            boolean probe = site.health.isDead();
            DeliveryTask task = b.toTask(nextTaskId++, probe);
            if (!dispatcher.dispatch(task)) {
                site.ready.addFirst(b);
                enterRing(site);
                break; // the delivery stage is full; try again next cycle
            }
            site.health.connecting();
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

    private void scheduleProbe(SiteState site) {
        if (site.probeTimerId == RetryTimers.NONE && site.inFlight == 0) { // else the probe's result brings it back
            site.probeTimerId = timers.schedule(site.health.nextProbeAtMillis(), site);
        }
    }

    private void onResult(TaskResult r) {
        Batch b = inFlight.remove(r.taskId());
        if (b == null) {
            return; // unknown or duplicate report: nothing is waiting for it
        }
        SiteState site = b.site;
        boolean wasDead = site.health.isDead();
        if (r.site() == TaskResult.SiteSignal.CONNECTED) {
            site.health.connected();
        } else {
            site.health.connectFailed(now);
        }
        counters.deadSites += (site.health.isDead() ? 1 : 0) - (wasDead ? 1 : 0);
        site.inFlight--;
        counters.inFlight -= b.size;
        int kept = 0;
        int tempCode = 0;
        String tempStatus = null;
        String tempText = null;
        for (int i = 0; i < b.size; i++) {
            RecipientResult rr = i < r.recipients().size() ? r.recipients().get(i)
                    : RecipientResult.temporary(0, "no result reported");
            switch (rr.kind()) {
                case DELIVERED -> {
                    recorder.outcome(b.messageId, b.indexes[i], OutcomeCode.DELIVERED, now);
                    events.delivered(b, i, rr, r, now);
                }
                case PERMANENT -> giveUp(b, i, OutcomeCode.BOUNCED, rr.code(), rr.enhancedStatus(), rr.text(), r);
                case TEMPORARY -> {
                    b.indexes[kept] = b.indexes[i];
                    b.addresses[kept] = b.addresses[i];
                    b.attempts[kept] = b.attempts[i];
                    kept++;
                    tempCode = rr.code();
                    tempStatus = rr.enhancedStatus();
                    tempText = rr.text();
                }
            }
        }
        b.size = kept;
        if (kept > 0) {
            defer(b, tempCode, tempStatus, tempText, r, now - b.dispatchedAtMillis);
        } else {
            done(b);
        }
        enterRing(site);
    }

    /**
     * Every recipient of {@code b} failed temporarily: DEFERRED each (and its event), and one retry timer for the
     * batch. {@code via} and {@code attemptMillis} describe the delivery attempt, null and -1 when there was none.
     */
    private void defer(Batch b, int code, String status, String text, TaskResult via, long attemptMillis) {
        int attempts = b.maxAttempts() + 1;
        long due = policy.nextAttemptAtMillis(now, attempts, b.receivedAtMillis, random.nextDouble());
        for (int i = 0; i < b.size; i++) {
            b.attempts[i]++;
            recorder.deferred(b.messageId, b.indexes[i], b.attempts[i], due, code, text);
            events.deferred(b, i, code, status, text, via, attemptMillis, now);
        }
        b.site = null;
        schedule(b, due);
        counters.scheduled += b.size;
    }

    private void schedule(Batch b, long due) {
        b.timerId = timers.schedule(due, b);
    }

    private void onTimer(Object target) {
        if (target instanceof Batch b) {
            b.timerId = RetryTimers.NONE;
            counters.scheduled -= b.size;
            b.domain.site = null; // a retry looks the domain up again
            route(b);
        } else if (target instanceof SiteState site) {
            site.probeTimerId = RetryTimers.NONE;
            enterRing(site);
        }
    }

    /** Gives up on every recipient of {@code b}. */
    private void finish(Batch b, OutcomeCode outcome, int code, String status, String text) {
        for (int i = 0; i < b.size; i++) {
            giveUp(b, i, outcome, code, status, text, null);
        }
        done(b);
    }

    /** {@code via}: the delivery attempt's result that led here, null for DNS failures and expiry. */
    private void giveUp(Batch b, int i, OutcomeCode outcome, int code, String status, String text, TaskResult via) {
        boolean expired = outcome == OutcomeCode.EXPIRED;
        if (bounces.takesOutcomes()) {
            bounceHandoff.offer(new GivenUp(b.messageId, b.bodiesIndex, b.indexes[i], b.addresses[i], expired, code,
                    status, text, via == null ? null : via.mxHost(), b.attempts[i], now));
        } else {
            recorder.outcome(b.messageId, b.indexes[i], outcome, now);
        }
        events.gaveUp(b, i, expired, code, status, text, via, now);
    }

    private void done(Batch b) {
        DomainState d = b.domain;
        if (--d.liveBatches == 0 && !d.resolving && !d.wantsResolve) {
            domains.remove(d.name);
        }
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** Gauges for metrics; readable from any thread. */
    public SchedulerCounters counters() {
        return counters;
    }

    /** No resolution in flight or wanted. Scheduler thread (tests). */
    boolean dnsIdle() {
        return dnsInFlight == 0 && resolveWanted.isEmpty();
    }

    /** Journal records (and given-up recipients) waiting because the writer or the bounce sink was full. */
    int recorderBacklog() {
        return recorder.backlog() + bounceHandoff.backlog();
    }
}
