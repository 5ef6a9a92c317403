package io.sluice.routing;

import io.sluice.config.EgressSettings;
import io.sluice.config.LaneSettings;
import io.sluice.config.PoolSettings;
import io.sluice.config.RouteSettings;
import io.sluice.config.SmarthostSettings;
import io.sluice.config.SourceSettings;
import io.sluice.model.RouteInputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a message's route: the routes of one settings snapshot, compiled once ({@link #compile}) and then
 * evaluated for every recipient ({@link #route}) by the scheduler and by {@code sluice route test}, the same code.
 *
 * <p>Rule: routes are tried in file order; the first whose every given match key fits takes the message. Match keys:
 * {@code sender_domains} against {@link RouteInputs#senderDomain()}, {@code recipient_domains} against the
 * recipient's domain (both exact and case-insensitive; an entry {@code .example.com} takes every subdomain of
 * example.com), {@code auth_users}, {@code listeners} and {@code streams} exact. The last route has no match (the
 * config loader guarantees it), so every message gets a route.
 *
 * <p>Contract of {@link #route}: {@code recipientDomain} is lower case (as {@link RouteInputs#senderDomain()} is);
 * an international domain may be given as lower-case A-labels or U-labels, since each configured domain is held in
 * both forms. No allocation: the {@link Route} returned is built at compile time and shared. Immutable and
 * thread-safe; a reload compiles a new router from the new snapshot.
 */
public final class Router {

    private final RouteRule[] rules;
    private final List<Route> routes;

    private Router(RouteRule[] rules, List<Route> routes) {
        this.rules = rules;
        this.routes = routes;
    }

    /**
     * Compiles validated settings (as the config loader returns them).
     *
     * @throws IllegalArgumentException when a name is not defined or no route is left without match, which a
     *                                  snapshot from the loader never has
     */
    public static Router compile(EgressSettings egress) {
        Map<String, Pool> pools = new HashMap<>();
        for (PoolSettings p : egress.pools()) {
            pools.put(p.name(), pool(p, egress));
        }
        List<RouteRule> rules = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        for (RouteSettings r : egress.routes()) {
            LaneSettings lane = egress.lane(r.lane());
            if (lane == null) {
                throw new IllegalArgumentException("route " + r.name() + ": no lane " + r.lane());
            }
            Pool pool = r.pool() == null ? null : required(pools.get(r.pool()), "route " + r.name() + ": no pool "
                    + r.pool());
            EgressPath path;
            if (r.smarthosts().isEmpty()) {
                path = new PoolPath(required(pool, "route " + r.name() + ": no path"));
            } else {
                List<SmarthostSettings> smarthosts = new ArrayList<>();
                for (String name : r.smarthosts()) {
                    smarthosts.add(required(egress.smarthost(name), "route " + r.name() + ": no smarthost " + name));
                }
                path = new SmarthostPath(smarthosts, pool);
            }
            Route route = new Route(r.name(), new Lane(lane.name(), lane.weight()), path,
                    r.verp() == null ? null : r.verp().domain(), r.unsubscribe());
            routes.add(route);
            rules.add(new RouteRule(route, r.match()));
        }
        if (egress.routes().isEmpty() || egress.routes().get(egress.routes().size() - 1).match() != null) {
            throw new IllegalArgumentException("the last route must have no match");
        }
        return new Router(rules.toArray(RouteRule[]::new), List.copyOf(routes));
    }

    private static Pool pool(PoolSettings p, EgressSettings egress) {
        List<WeightedSource> sources = new ArrayList<>();
        for (PoolSettings.Member m : p.members()) {
            SourceSettings source = required(egress.source(m.source()), "pool " + p.name() + ": no source "
                    + m.source());
            sources.add(new WeightedSource(source, m.weight()));
        }
        return new Pool(p.name(), sources);
    }

    private static <T> T required(T value, String problem) {
        if (value == null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /**
     * The route of one recipient of a message: the first whose match fits.
     *
     * @param inputs          the message's route inputs
     * @param recipientDomain the recipient's domain, lower case (A-labels or U-labels)
     */
    public Route route(RouteInputs inputs, String recipientDomain) {
        RouteRule[] all = rules;
        for (int i = 0; i < all.length - 1; i++) {
            if (all[i].matches(inputs, recipientDomain)) {
                return all[i].route();
            }
        }
        return all[all.length - 1].route();
    }

    /** Every route in evaluation order, the default (no match) last. */
    public List<Route> routes() {
        return routes;
    }
}
