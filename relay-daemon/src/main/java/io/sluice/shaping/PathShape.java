package io.sluice.shaping;

import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.config.ShapingSettings;
import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.config.ShapingSettings.Rate;
import java.time.Duration;
import java.util.List;

/**
 * The limits that apply to one kind of delivery path, as the shaping rules resolve them: a provider's sites (its
 * {@code per_site} over the {@code default}, and its {@code per_source} and {@code total} groups), the sites no
 * provider matches ({@code default}), or paths outside shaping (smarthosts, or shaping off: the {@code delivery.*}
 * limits). Every limit of a site path is already narrowed by the groups' ({@code per_source.connections} caps the
 * site too), so readers take one number.
 *
 * <p>Immutable and thread-safe; {@link PathPolicy} makes one per provider, one for the default and one unshaped.
 *
 * @param provider             the provider's name, or null for the default and unshaped paths
 * @param siteConnections      connections per (source, site)
 * @param siteMessageRate      transactions per (source, site), or null for no limit
 * @param siteConnectionRate   new connections per (source, site), or null
 * @param deliveriesPerConnection transactions per connection (the tightest of site and groups)
 * @param recipientsPerTransaction recipients per transaction
 * @param sourceConnections    connections per (source, provider), 0 for no group limit
 * @param sourceMessageRate    transactions per (source, provider), or null
 * @param sourceConnectionRate new connections per (source, provider), or null
 * @param totalConnections     connections over every source, 0 for none
 * @param totalMessageRate     transactions over every source, or null
 * @param idleTimeout          close an unused connection after
 * @param tls                  outbound TLS
 * @param rules                reply rules: the provider's own, then the common ones (empty when unshaped)
 * @param shaped               the shaping rules decided it (false: {@code delivery.*}, shaping off or a smarthost)
 */
public record PathShape(String provider, int siteConnections, Rate siteMessageRate, Rate siteConnectionRate,
                        int deliveriesPerConnection, int recipientsPerTransaction, int sourceConnections,
                        Rate sourceMessageRate, Rate sourceConnectionRate, int totalConnections,
                        Rate totalMessageRate, Duration idleTimeout, OutboundTls tls, List<AutomationRule> rules,
                        boolean shaped) {

    public PathShape {
        if (siteConnections < 1 || deliveriesPerConnection < 1 || recipientsPerTransaction < 1) {
            throw new IllegalArgumentException("path limits must be positive");
        }
        rules = List.copyOf(rules);
    }

    /** The default's limits (a site no provider matches). */
    static PathShape ofDefault(ShapingSettings.Rules r) {
        ShapingSettings.PathLimits d = r.defaults();
        return new PathShape(null, d.connections(), d.messageRate(), d.connectionRate(), d.deliveriesPerConnection(),
                d.recipientsPerTransaction(), 0, null, null, 0, null, d.idleTimeout(), d.tls(), r.automation(), true);
    }

    /** Provider {@code p}'s limits: per_site over the default, narrowed by per_source and total. */
    static PathShape ofProvider(ShapingSettings.Rules r, ShapingSettings.Provider p) {
        ShapingSettings.PathLimits d = r.defaults();
        ShapingSettings.GroupLimits site = p.perSite();
        ShapingSettings.GroupLimits source = p.perSource();
        ShapingSettings.GroupLimits total = p.total();
        int sourceConnections = orZero(source.connections());
        int totalConnections = orZero(total.connections());
        int siteConnections = tightest(site.connections() != null ? site.connections() : d.connections(),
                sourceConnections, totalConnections);
        int deliveries = tightest(site.deliveriesPerConnection() != null ? site.deliveriesPerConnection()
                : d.deliveriesPerConnection(), orZero(source.deliveriesPerConnection()),
                orZero(total.deliveriesPerConnection()));
        List<AutomationRule> rules = new java.util.ArrayList<>(p.automation());
        rules.addAll(r.automation());
        return new PathShape(p.name(), siteConnections,
                site.messageRate() != null ? site.messageRate() : d.messageRate(),
                site.connectionRate() != null ? site.connectionRate() : d.connectionRate(), deliveries,
                d.recipientsPerTransaction(), sourceConnections, source.messageRate(), source.connectionRate(),
                totalConnections, total.messageRate(), d.idleTimeout(), p.tls() != null ? p.tls() : d.tls(), rules,
                true);
    }

    /**
     * True when the provider's sites share one connection pool per source: it caps connections or paces new ones
     * per (source, provider), so every connection to any of its sites must count against the same budget.
     */
    public boolean sharesPool() {
        return provider != null && (sourceConnections > 0 || sourceConnectionRate != null);
    }

    /**
     * The key warm-up caps and rotation count a path's mail under: the provider's name, or {@code default} for a site
     * no provider matches (and for unshaped paths, where neither applies).
     */
    public String providerKey() {
        return provider == null ? "default" : provider;
    }

    /** The provider as metrics and events name it: its name, {@code default} when none matched, null unshaped. */
    public String label() {
        return !shaped ? null : provider == null ? "default" : provider;
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    /** The smallest of {@code first} and the positive ones of the others. */
    private static int tightest(int first, int a, int b) {
        int n = first;
        if (a > 0) {
            n = Math.min(n, a);
        }
        if (b > 0) {
            n = Math.min(n, b);
        }
        return n;
    }
}
