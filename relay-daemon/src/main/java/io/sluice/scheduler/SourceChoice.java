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
 * source's queue that is full simply holds its share until it drains; per-source caps such as warm-up come with
 * traffic shaping). Also sets the batch's lane from its route ({@link Lanes}): the ready queue takes lanes by weight
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
    private final Map<Pool, WeightedRoundRobin> pickers = new IdentityHashMap<>();
    private final IntPredicate usable = this::usable;
    private Router router;
    private Pool fallbackPool;
    private Set<String> unusable = Set.of();
    /** The pick in progress: its pool (a field, so the predicate need not capture it). */
    private Pool pool;

    SourceChoice(Resolutions resolutions, Lanes lanes, Router router) {
        this.resolutions = resolutions;
        this.lanes = lanes;
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
    SiteState readyQueue(Batch b, Route route, SiteGroup site) {
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
        int i = picker.pick(usable);
        this.pool = null;
        return i < 0 ? null : resolutions.state(site, p.sources().get(i).source().name());
    }

    /** Why {@link #readyQueue} found nothing, for the deferral. */
    String noSourceReason(Batch b) {
        Pool p = poolOf(route(b).path(), fallbackPool);
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
        return !unusable.contains(pool.sources().get(i).source().name());
    }
}
