package io.sluice.shaping;

import io.sluice.config.DeliverySettings;
import io.sluice.config.ShapingSettings;
import io.sluice.dns.SiteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one authority on delivery paths' limits (DESIGN "Egress: routes, pools, ready queues, shaping";
 * docs/shaping.md): which provider a site belongs to and the {@link PathShape} that applies to it: connections and
 * message rate per (source, site), per (source, provider) and over all sources, connection rate, deliveries per
 * connection, recipients per transaction, idle timeout and TLS. Nothing else decides them: the scheduler caps each
 * path's concurrency window and paces its transactions with them, and the connection pools keep open connections
 * within the same numbers and retire a connection after its deliveries.
 *
 * <p>Provider matching ({@link #shape}): a site belongs to the first provider (in file order) that every one of its
 * MX host names matches, a name matching a suffix when it ends with it ({@code .google.com} matches
 * {@code aspmx.l.google.com}; {@code mx.corp.example} matches itself and its subdomains). Smarthost sites and
 * everything when shaping is off get the unshaped limits of {@code delivery.*} (no rates, no rules).
 *
 * <p>Immutable and thread-safe; a reload builds a new one ({@link #from}). Matching walks the providers' suffixes:
 * callers cache the shape with the site (the scheduler's site group, the pool).
 */
public final class PathPolicy {
    private final PathShape unshaped;
    private final PathShape byDefault;
    private final List<Matcher> providers;

    private record Matcher(String[] suffixes, PathShape shape) {
        boolean matches(SiteKey site) {
            for (int i = 0; i < site.size(); i++) {
                if (!matchesAny(site.name(i))) {
                    return false;
                }
            }
            return true;
        }

        private boolean matchesAny(String host) {
            for (String s : suffixes) {
                if (host.endsWith(s) && (s.charAt(0) == '.' || host.length() == s.length()
                        || host.charAt(host.length() - s.length() - 1) == '.')) {
                    return true;
                }
            }
            return false;
        }
    }

    private PathPolicy(PathShape unshaped, PathShape byDefault, List<Matcher> providers) {
        this.unshaped = unshaped;
        this.byDefault = byDefault;
        this.providers = providers;
    }

    /** The same limits for every path, no rates (tests; a scheduler built without settings). */
    public static PathPolicy uniform(int connections, int deliveriesPerConnection) {
        PathShape shape = new PathShape(null, connections, null, null, deliveriesPerConnection, Integer.MAX_VALUE, 0,
                null, null, 0, null, java.time.Duration.ofSeconds(30), DeliverySettings.OutboundTls.OPPORTUNISTIC,
                List.of(), false);
        return new PathPolicy(shape, shape, List.of());
    }

    /** The limits of a settings snapshot's {@code delivery} section alone (shaping off). */
    public static PathPolicy from(DeliverySettings delivery) {
        return from(delivery, ShapingSettings.OFF);
    }

    /** The limits of a settings snapshot: {@code delivery.*} for unshaped paths, the shaping rules for the rest. */
    public static PathPolicy from(DeliverySettings delivery, ShapingSettings shaping) {
        Objects.requireNonNull(delivery, "delivery");
        PathShape unshaped = new PathShape(null, delivery.maxConnectionsPerSite(), null, null,
                delivery.maxDeliveriesPerConnection(), delivery.maxRecipientsPerMessage(), 0, null, null, 0, null,
                delivery.idleTimeout(), delivery.tls(), List.of(), false);
        ShapingSettings.Rules rules = shaping.rules();
        if (rules == null) {
            return new PathPolicy(unshaped, unshaped, List.of());
        }
        List<Matcher> matchers = new ArrayList<>();
        for (ShapingSettings.Provider p : rules.providers()) {
            matchers.add(new Matcher(p.mxSuffixes().toArray(String[]::new), PathShape.ofProvider(rules, p)));
        }
        return new PathPolicy(unshaped, PathShape.ofDefault(rules), List.copyOf(matchers));
    }

    /**
     * The limits of {@code site}: its provider's, the default's, or (smarthost, shaping off) the unshaped ones. A
     * provider's key ({@link SiteKey#provider}) gives that provider's (the default's once a reload removed it).
     */
    public PathShape shape(SiteKey site) {
        if (site.smarthostName() != null) {
            return unshaped;
        }
        if (site.providerName() != null) {
            PathShape p = provider(site.providerName());
            return p != null ? p : byDefault;
        }
        for (int i = 0; i < providers.size(); i++) {
            Matcher m = providers.get(i);
            if (m.matches(site)) {
                return m.shape();
            }
        }
        return byDefault;
    }

    /** The shape of provider {@code name}, or null when no provider has it. */
    public PathShape provider(String name) {
        for (Matcher m : providers) {
            if (m.shape().provider().equals(name)) {
                return m.shape();
            }
        }
        return null;
    }

    /** Every provider's shape, in file order. */
    public List<PathShape> providers() {
        List<PathShape> out = new ArrayList<>(providers.size());
        providers.forEach(m -> out.add(m.shape()));
        return out;
    }

    /**
     * Connections (and so deliveries in flight) the path of {@code source} to {@code site} may have at once; for a
     * provider's key, those of all its sites from the source together (its {@code per_source} cap).
     */
    public int connections(String source, SiteKey site) {
        PathShape shape = shape(site);
        if (site.providerName() == null) {
            return shape.siteConnections();
        }
        // A shared pool without a per-source cap (it only paces new connections): the sites' windows bound it.
        return shape.sourceConnections() > 0 ? shape.sourceConnections() : UNCAPPED_SHARED_POOL;
    }

    /**
     * New connections the pool of path ({@code source}, {@code site}) may open per period, or null for no limit: the
     * site's {@code connection_rate}, or for a provider's shared pool its {@code per_source} one (else the site's).
     */
    public ShapingSettings.Rate connectionRate(String source, SiteKey site) {
        PathShape shape = shape(site);
        if (site.providerName() != null && shape.sourceConnectionRate() != null) {
            return shape.sourceConnectionRate();
        }
        return shape.siteConnectionRate();
    }

    /**
     * The key of the connection pool that path ({@code source}, {@code site}) uses, given its shape: a provider's
     * key when the provider caps or paces connections per source (its sites share one pool, so idle connections and
     * new ones count against that budget too), else the site itself. A site under MTA-STS keeps its mark on the
     * provider's key: its connections need verified TLS (enforce) or are judged (testing), so they never mix with
     * the provider's other sites' (the per-source cap then applies to each of the two pools).
     */
    public static SiteKey poolSite(PathShape shape, SiteKey site) {
        return shape.sharesPool() ? SiteKey.provider(shape.provider()).withMtaSts(site.mtaSts()) : site;
    }

    /** The cap of a provider's shared pool that has no per-source connection cap: in effect none. */
    static final int UNCAPPED_SHARED_POOL = 100_000;

    /** Transactions one connection of the path may carry before it is closed. */
    public int deliveriesPerConnection(String source, SiteKey site) {
        return shape(site).deliveriesPerConnection();
    }
}
