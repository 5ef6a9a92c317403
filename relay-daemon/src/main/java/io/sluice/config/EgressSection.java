package io.sluice.config;

import java.util.List;

/**
 * Reads the egress keys ({@code sources}, {@code pools}, {@code smarthosts}, {@code lanes}, {@code quotas},
 * {@code routes}) into {@link EgressSettings}, in the order they refer to each other: pools name sources, routes name
 * pools, smarthosts, lanes and listeners. Each part's rules are in its reader ({@link SourcesSection},
 * {@link PoolsSection}, {@link SmarthostsSection}, {@link LanesSection}, {@link QuotasSection},
 * {@link RoutesSection}). A reference to something whose own list failed to read is not reported again.
 *
 * <p>Reload: every key is reloadable; the snapshot's routes take effect at the next scheduling decision (as of this
 * increment nothing in the daemon uses them yet).
 */
final class EgressSection {

    private EgressSection() {
    }

    /** {@code feedbackDomains}: {@code feedback.domains}, for a route's unsubscribe mailto address. */
    static EgressSettings read(YamlMapping doc, List<ListenerSettings> listeners, DeliverySettings delivery,
                               List<String> feedbackDomains) {
        List<SourceSettings> sources = SourcesSection.read(doc, delivery);
        List<PoolSettings> pools = PoolsSection.read(doc, sources);
        List<SmarthostSettings> smarthosts = SmarthostsSection.read(doc);
        List<LaneSettings> lanes = LanesSection.read(doc);
        List<QuotaSettings> quotas = QuotasSection.read(doc);
        List<RouteSettings> routes = RoutesSection.read(doc,
                new RoutesSection.Names(listeners, pools, smarthosts, lanes, feedbackDomains));
        return new EgressSettings(sources, pools, smarthosts, routes, lanes, quotas);
    }
}
