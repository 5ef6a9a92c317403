package io.sluice.scheduler;

import io.sluice.routing.EgressPath;
import io.sluice.routing.Pool;
import io.sluice.routing.PoolPath;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.routing.SmarthostPath;
import io.sluice.routing.WeightedRoundRobin;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Chooses the ready queue ({@link ReadyKey}: source, site) of a batch whose site is known: evaluates the message's
 * route ({@link Router}, from the journalled route inputs and the recipient domain), takes the route's pool, and
 * picks one of its sources by smooth weighted round robin ({@link WeightedRoundRobin}, one per pool) among the usable
 * ones (weight above 0, address on this host), so the shares follow the weights exactly even under a backlog (a
 * source's queue that is full simply holds its share until it drains), skipping a source at its warm-up cap for
 * the site's provider ({@link WarmupCaps}: the message is counted against the chosen source's cap) and, while
 * another can take the mail, one out of rotation for it ({@link SourceHealth}). Also sets
 * the batch's lane from its route ({@link Lanes}): the ready queue takes lanes by weight
 * ({@link LanedQueue}). Evaluated at every placement, so a reload ({@link #change}) applies to mail already queued
 * at its next attempt.
 *
 * <p>A smarthost route's connections bind through its {@code pool}, or the default route's pool when it names none
 * (as Postfix's {@code smtp_bind_address} applies to its relayhost); which smarthost is {@link Smarthosts}' choice.
 *
 * <p>Allocation: none per batch once a pool's picker exists (a hash lookup by identity; the predicates are fields,
 * not capturing lambdas). Scheduler thread only.
 */
final class SourceChoice {
    private final Resolutions resolutions;
    private final Lanes lanes;
    /** The site's provider, for warm-up caps (its shape, cached with the site group). */
    private final PathGate gate;
    private final WarmupCaps warmup;
    /** Sources out of rotation for a provider are skipped while another can take the mail. */
    private final SourceHealth health;
    /** The pick in progress honours rotation (false on the second try, when every source was out). */
    private boolean honourRotation;
    private final Map<Pool, WeightedRoundRobin> pickers = new IdentityHashMap<>();
    private final IntPredicate usable = this::usable;
    private Router router;
    private Pool fallbackPool;
    private Set<String> unusable = Set.of();
    /** The pick in progress: its pool, the site's provider key for warm-up (null: no warm-up) and the time. */
    private Pool pool;
    private String provider;
    private long now;
    /** The last pick skipped a source at its warm-up cap. */
    private boolean capped;

    SourceChoice(Resolutions resolutions, Lanes lanes, Router router, PathGate gate, WarmupCaps warmup,
                 SourceHealth health) {
        this.health = health;
        this.resolutions = resolutions;
        this.lanes = lanes;
        this.gate = gate;
        this.warmup = warmup;
        change(router, Set.of());
    }

    /** A reload's routes, and the sources that cannot send now (address not on this host). */
    void change(Router next, Set<String> unusableSources) {
        this.router = next;
        this.lanes.change(next);
        this.unusable = Set.copyOf(unusableSources);
        this.pickers.clear();
        Route last = next.routes().get(next.routes().size() - 1);
        this.fallbackPool = poolOf(last.path(), null);
    }

    /**
     * Whether source {@code name} can still be picked: a member with weight above 0 of some pool a route uses, and
     * its address on this host. (A reload re-places only the ready mail of sources this says no to: mail of a route
     * whose pool lost a source that another pool still has keeps leaving from it until its next attempt.)
     */
    boolean pickable(String name) {
        if (unusable.contains(name)) {
            return false;
        }
        for (Route r : router.routes()) {
            Pool p = poolOf(r.path(), fallbackPool);
            if (p != null) {
                for (var s : p.sources()) {
                    if (s.weight() > 0 && s.source().name().equals(name)) {
                        return true;
                    }
                }
            }
        }
        return ReadyKey.DEFAULT_SOURCE.equals(name) && fallbackPool == null;
    }

    /** The route the batch's message takes to its domain. */
    Route route(Batch b) {
        return router.route(b.routeInputs, b.domain.name);
    }

    /**
     * The ready queue for {@code b} (whose route is {@code route}) at {@code site}: an MX site, or the smarthost the
     * route's path chose ({@link Smarthosts}); null when no source of the pool can send now.
     */
    SiteState readyQueue(Batch b, Route route, SiteGroup site, long nowMillis) {
        b.lane = lanes.slotOf(route);
        Pool p = poolOf(route.path(), fallbackPool);
        b.routeName = route.name();
        b.poolName = p == null ? null : p.name();
        if (p == null) {
            return resolutions.state(site, ReadyKey.DEFAULT_SOURCE);
        }
        WeightedRoundRobin picker = pickers.get(p);
        if (picker == null) {
            picker = picker(p);
            pickers.put(p, picker);
        }
        this.pool = p;
        this.now = nowMillis;
        this.capped = false;
        if (site.smarthost == null) { // warm-up caps count mail to mailbox providers, not to smarthosts
            this.provider = gate.shapeOf(site).providerKey();
        }
        this.honourRotation = provider != null;
        int i = picker.pick(usable);
        if (i < 0 && honourRotation) { // every usable source is out of rotation: mail goes on through them
            honourRotation = false;
            capped = false;
            i = picker.pick(usable);
        }
        this.pool = null;
        String chosen = i < 0 ? null : p.sources().get(i).source().name();
        if (chosen != null && provider != null) {
            warmup.placed(chosen, provider, nowMillis);
            health.placed(chosen, provider, nowMillis);
        }
        this.provider = null;
        return chosen == null ? null : resolutions.state(site, chosen);
    }

    /** Whether the last {@link #readyQueue} that found nothing skipped a source for its warm-up cap. */
    boolean cappedByWarmup() {
        return capped;
    }

    /** Why {@link #readyQueue} found nothing, for the deferral. */
    String noSourceReason(Batch b) {
        Pool p = poolOf(route(b).path(), fallbackPool);
        if (capped) {
            return "warm-up: every source of pool " + (p == null ? "?" : p.name()) + " that can send has reached"
                    + " today's cap for this provider; tried again at the next UTC day (sluice warmup status)";
        }
        return "no source of pool " + (p == null ? "?" : p.name()) + " can send now (weights 0, or addresses not on"
                + " this host: see sluice check-config)";
    }

    private static Pool poolOf(EgressPath path, Pool fallback) {
        if (path instanceof PoolPath p) {
            return p.pool();
        }
        if (path instanceof SmarthostPath s && s.bindPool() != null) {
            return s.bindPool();
        }
        return fallback;
    }

    private static WeightedRoundRobin picker(Pool p) {
        int[] weights = new int[p.sources().size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = p.sources().get(i).weight();
        }
        return new WeightedRoundRobin(weights);
    }

    private boolean usable(int i) {
        String name = pool.sources().get(i).source().name();
        if (unusable.contains(name)) {
            return false;
        }
        if (provider != null && warmup.full(name, provider, now)) {
            capped = true;
            return false;
        }
        return !honourRotation || health.inRotation(name, provider, now);
    }
}
