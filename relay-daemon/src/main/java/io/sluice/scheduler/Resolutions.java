package io.sluice.scheduler;

import io.sluice.dns.Destination;
import io.sluice.dns.MxResolver;
import io.sluice.dns.SiteKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The scheduler's DNS bookkeeping: which domains want a lookup, at most one {@link MxResolver#resolve} in flight
 * per domain and {@code maxDnsInFlight} in all, and the completions coming back. A completion slot is reserved
 * before asking (the in-flight count never passes the completion queue's capacity), so the resolver's thread can
 * always hand its answer over: it stores it in {@link DomainState#answer} and offers the domain itself, so an
 * answer allocates nothing here. Also keeps the {@link SiteGroup}s by {@link SiteKey} and their ready queues
 * ({@link SiteState}, one per source and site; never forgotten: their health matters).
 *
 * <p>Inputs: {@link #await} (a batch whose domain has no site yet). Outputs: each waiting batch with its domain's
 * answer to the {@link Answered} handler, from {@link #drain}. Scheduler thread, except the resolver's completion
 * callback (any thread, one offer and a wake-up).
 */
final class Resolutions {
    /** What to do with a batch whose domain has been resolved ({@code answer} says how). */
    @FunctionalInterface
    interface Answered {
        void answered(Batch b, Destination answer);
    }

    private final SchedulerOptions options;
    private final MxResolver resolver;
    private final Runnable wakeUp;
    private final SchedulerCounters counters;
    private final ManyToOneConcurrentArrayQueue<DomainState> answers;
    private final ArrayDeque<DomainState> wanted = new ArrayDeque<>();
    private final Map<SiteKey, SiteGroup> groups = new HashMap<>();
    /** Every ready queue made so far, in creation order. */
    private final java.util.List<SiteState> states = new java.util.ArrayList<>();
    private int inFlight;
    /** Told of every new site (operator suspensions apply to sites not seen yet); set once by the scheduler. */
    private java.util.function.Consumer<SiteState> newSite = s -> { };

    private final Lanes lanes;
    /** Gives each new ready queue its limits (cap, rates, groups) from the path policy. */
    private final PathGate gate;

    Resolutions(SchedulerOptions options, MxResolver resolver, Runnable wakeUp, SchedulerCounters counters,
                Lanes lanes, PathGate gate) {
        this.lanes = lanes;
        this.options = options;
        this.gate = gate;
        this.resolver = resolver;
        this.wakeUp = wakeUp;
        this.counters = counters;
        this.answers = new ManyToOneConcurrentArrayQueue<>(options.maxDnsInFlight());
    }

    /** {@code b} waits at its domain (which has no site) until DNS answers; asks for a lookup if none is on. */
    void await(Batch b) {
        DomainState d = b.domain;
        d.waiting.addLast(b);
        counters.scheduled += b.size;
        if (!d.resolving && !d.wantsResolve) {
            d.wantsResolve = true;
            wanted.addLast(d);
        }
    }

    /** Starts lookups while completion slots are free (reserve before asking); returns how many. */
    int start() {
        int n = 0;
        while (inFlight < options.maxDnsInFlight() && !wanted.isEmpty()) {
            DomainState d = wanted.pollFirst();
            d.wantsResolve = false;
            d.resolving = true;
            inFlight++;
            resolver.resolve(d.name).thenAccept(answer -> {
                d.answer = answer;
                answers.offer(d); // cannot fail: a slot is reserved by inFlight
                wakeUp.run();
            });
            n++;
        }
        return n;
    }

    /** Hands every waiting batch of each answered domain to {@code handler}; returns domains answered. */
    int drain(int limit, long nowMillis, Answered handler) {
        int n = 0;
        DomainState d;
        while (n < limit && (d = answers.poll()) != null) {
            n++;
            inFlight--;
            d.resolving = false;
            Destination answer = d.answer;
            d.answer = null;
            d.failure = answer instanceof Destination.Temporary t ? t : null;
            d.failedAtMillis = nowMillis;
            if (answer instanceof Destination.Hosts hosts) {
                d.hosts = hosts;
                d.site = group(hosts.site());
                d.answeredAtMillis = nowMillis;
            }
            Batch b;
            while ((b = d.waiting.poll()) != null) {
                counters.scheduled -= b.size;
                handler.answered(b, answer);
            }
        }
        return n;
    }

    /** Sets who hears of new sites (before the first resolution). */
    void onNewSite(java.util.function.Consumer<SiteState> listener) {
        this.newSite = listener;
    }

    /** Every ready queue (source, site) made so far (read-only view). */
    java.util.Collection<SiteState> sites() {
        return java.util.Collections.unmodifiableList(states);
    }

    /** No lookup in flight or wanted. */
    boolean idle() {
        return inFlight == 0 && wanted.isEmpty();
    }

    private SiteGroup group(SiteKey key) {
        SiteGroup group = groups.get(key);
        if (group == null) {
            group = new SiteGroup(key);
            groups.put(key, group);
        }
        return group;
    }

    /** The ready queue of {@code source} at {@code group}, made on first use (and announced as a new site). */
    SiteState state(SiteGroup group, String source) {
        SiteState site = group.existing(source);
        if (site == null) {
            SiteHealth health = group.smarthost != null ? group.smarthost.breaker // one breaker per smarthost
                    : new SiteHealth(options.failuresToDie(), options.firstProbeMillis(), options.maxProbeMillis());
            site = new SiteState(group, source, health, gate.shapeOf(group).siteConnections(), lanes);
            gate.attach(site);
            group.add(site);
            states.add(site);
            newSite.accept(site);
        }
        return site;
    }
}
