package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

/**
 * The delivery side's metric handles: recipients by outcome and site, the duration of each delivery attempt, and
 * the end-to-end latency of each delivered recipient.
 *
 * <p>Inputs: one {@link #outcome} call per recipient decision (delivered, deferred, bounced, expired) with the
 * site it was about (null when none, e.g. a DNS failure); one {@link #attemptNanos} per delivery task that came
 * back; one {@link #endToEndMillis} per delivered recipient. Outputs: the series of {@link SluiceMetrics}
 * {@value SluiceMetrics#DELIVERIES}, {@value SluiceMetrics#DELIVERY_ATTEMPT_SECONDS} and
 * {@value SluiceMetrics#DELIVERY_END_TO_END_SECONDS}.
 *
 * <p>Limits: the {@code site} label takes at most {@code maxSites + 1} values ({@link BoundedSiteLabels}: the
 * busiest sites, then {@value BoundedSiteLabels#OTHER}), whatever the number of destinations. The same decisions
 * are also counted by source ({@value SluiceMetrics#DELIVERIES_BY_SOURCE}): sources come from the config (one
 * the source names of {@code sources}, or {@code default}; {@code none} when no connection was made, e.g. a DNS
 * failure), capped at {@link #MAX_SOURCE_LABELS} values plus {@value BoundedSiteLabels#OTHER}; and by route and pool
 * ({@value SluiceMetrics#DELIVERIES_BY_ROUTE}), capped at {@link #MAX_ROUTE_LABELS} pairs.
 *
 * <p>Threading: thread-safe. Cost per call: for a labelled site a map lookup and an atomic add; histograms a
 * bucket scan and atomic adds; nothing allocated (an unlabelled site also updates the bounded sketch under a lock
 * until every label is given).
 */
public final class DeliveryMetrics {
    /** Sites with a {@code site} label of their own (N); the rest share {@code other}. */
    public static final int MAX_SITE_LABELS = 20;
    /** Recipient decisions a site must have (guaranteed by the sketch) before it gets its own label. */
    public static final long PROMOTE_AFTER = 50;
    /** Sketch counters: ten per label, so the top sites stand out from the long tail. */
    static final int TRACKED_SITES = 10 * MAX_SITE_LABELS;

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;
    private static final double MILLIS_PER_SECOND = 1_000.0;

    /** Source labels at most (sources are configured, so a handful); later ones share {@code other}. */
    public static final int MAX_SOURCE_LABELS = 64;
    /** The source of a decision made without a connection (DNS failure, expiry in the queue). */
    public static final String NO_SOURCE = "none";
    /** (route, pool) label pairs at most (both come from the config); later ones share {@code other}. */
    public static final int MAX_ROUTE_LABELS = 64;

    private final BoundedSiteLabels<CounterDataPoint[]> sites;
    private final Counter bySource;
    private final java.util.concurrent.ConcurrentHashMap<String, CounterDataPoint[]> sources =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final CounterDataPoint[] otherSource;
    /** By provider of the shaping rules (configured, so a handful; {@code none} unshaped), like sources. */
    private final Counter byProvider;
    private final java.util.concurrent.ConcurrentHashMap<String, CounterDataPoint[]> providers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final CounterDataPoint[] otherProvider;
    private final Counter byRoute;
    /** Route, then pool, to its series; {@link #MAX_ROUTE_LABELS} pairs at most. */
    private final java.util.concurrent.ConcurrentHashMap<String,
            java.util.concurrent.ConcurrentHashMap<String, CounterDataPoint[]>> routes =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger routePairs = new java.util.concurrent.atomic.AtomicInteger();
    private final CounterDataPoint[] otherRoute;
    private final BucketHistogram.Recorder attemptSeconds;
    private final BucketHistogram.Recorder endToEndSeconds;

    /** The {@code tls} label values of {@code sluice_deliveries_tls_total}, in {@link #deliveredOver} order. */
    public static final String[] TLS_STATES = {"none", "encrypted", "verified"};
    private final CounterDataPoint[] byTls = new CounterDataPoint[TLS_STATES.length];

    DeliveryMetrics(Counter deliveries, Counter bySource, Counter byRoute, Counter byTls,
                    BucketHistogram.Recorder attemptSeconds, BucketHistogram.Recorder endToEndSeconds, int maxSites,
                    int trackedSites, long promoteAfter) {
        this(deliveries, bySource, byRoute, null, byTls, attemptSeconds, endToEndSeconds, maxSites, trackedSites,
                promoteAfter);
    }

    /** @param byProvider the by-provider family, or null for none (tests) */
    DeliveryMetrics(Counter deliveries, Counter bySource, Counter byRoute, Counter byProvider, Counter byTls,
                    BucketHistogram.Recorder attemptSeconds, BucketHistogram.Recorder endToEndSeconds, int maxSites,
                    int trackedSites, long promoteAfter) {
        this.byProvider = byProvider;
        this.otherProvider = byProvider == null ? null : bind(byProvider, BoundedSiteLabels.OTHER);
        this.byRoute = byRoute;
        this.otherRoute = bind(byRoute, BoundedSiteLabels.OTHER, BoundedSiteLabels.OTHER);
        for (int i = 0; i < TLS_STATES.length; i++) {
            this.byTls[i] = byTls.labelValues(TLS_STATES[i]);
        }
        this.bySource = bySource;
        this.otherSource = bind(bySource, BoundedSiteLabels.OTHER);
        this.attemptSeconds = attemptSeconds;
        this.endToEndSeconds = endToEndSeconds;
        this.sites = new BoundedSiteLabels<>(maxSites, trackedSites, promoteAfter, site -> bind(deliveries, site),
                bind(deliveries, BoundedSiteLabels.OTHER));
    }

    /**
     * One recipient delivered through a session protected as {@code tlsState}: {@code none}, {@code encrypted} or
     * {@code verified} ({@link #TLS_STATES}); an unknown value is ignored.
     */
    public void deliveredOver(String tlsState) {
        for (int i = 0; i < TLS_STATES.length; i++) {
            if (TLS_STATES[i].equals(tlsState)) {
                byTls[i].inc();
                return;
            }
        }
    }

    /** One recipient decision at {@code site} (null when no site is known), source unknown ({@code none}). */
    public void outcome(DeliveryOutcome outcome, String site) {
        outcome(outcome, site, null);
    }

    /** One recipient decision at {@code site} through {@code source} (either null when not known). */
    public void outcome(DeliveryOutcome outcome, String site, String source) {
        sites.forSite(site)[outcome.ordinal()].inc();
        forSource(source == null ? NO_SOURCE : source)[outcome.ordinal()].inc();
    }

    /**
     * One recipient decision at {@code site} through {@code source}, for a message of {@code route} sent through
     * {@code pool} (any of them null when not known: {@code none}).
     */
    public void outcome(DeliveryOutcome outcome, String site, String source, String route, String pool) {
        outcome(outcome, site, source);
        forRoute(route == null ? NO_SOURCE : route, pool == null ? NO_SOURCE : pool)[outcome.ordinal()].inc();
    }

    /** As above, at a site of mailbox {@code provider} ({@code default}: none matched; null: unshaped, {@code none}). */
    public void outcome(DeliveryOutcome outcome, String site, String source, String route, String pool,
                        String provider) {
        outcome(outcome, site, source, route, pool);
        if (byProvider != null) {
            bounded(providers, byProvider, otherProvider, provider == null ? NO_SOURCE : provider)
                    [outcome.ordinal()].inc();
        }
    }

    /** The (route, pool) series: two map lookups once bound; new pairs until the cap, then {@code other}. */
    private CounterDataPoint[] forRoute(String route, String pool) {
        java.util.concurrent.ConcurrentHashMap<String, CounterDataPoint[]> pools = routes.get(route);
        CounterDataPoint[] series = pools == null ? null : pools.get(pool);
        if (series != null) {
            return series;
        }
        synchronized (routes) {
            pools = routes.computeIfAbsent(route, r -> new java.util.concurrent.ConcurrentHashMap<>());
            series = pools.get(pool);
            if (series == null) {
                if (routePairs.get() >= MAX_ROUTE_LABELS) {
                    return otherRoute;
                }
                series = bind(byRoute, route, pool);
                pools.put(pool, series);
                routePairs.incrementAndGet();
            }
            return series;
        }
    }

    /** The source's series: a map lookup once bound; new sources are bound until the cap, then {@code other}. */
    private CounterDataPoint[] forSource(String source) {
        return bounded(sources, bySource, otherSource, source);
    }

    /** A label's series from {@code bound}; new values are bound until {@link #MAX_SOURCE_LABELS}, then other. */
    private static CounterDataPoint[] bounded(java.util.concurrent.ConcurrentHashMap<String, CounterDataPoint[]> bound,
                                              Counter family, CounterDataPoint[] other, String value) {
        CounterDataPoint[] series = bound.get(value);
        if (series != null) {
            return series;
        }
        if (bound.size() >= MAX_SOURCE_LABELS) {
            return other;
        }
        return bound.computeIfAbsent(value, v -> bind(family, v));
    }

    /** One delivery task took this long, from hand-off to the delivery stage to its result, in nanoseconds. */
    public void attemptNanos(long nanos) {
        attemptSeconds.observe(nanos / NANOS_PER_SECOND);
    }

    /** One recipient was delivered this long after its message was received, in milliseconds. */
    public void endToEndMillis(long millis) {
        endToEndSeconds.observe(millis / MILLIS_PER_SECOND);
    }

    /** Sites with their own label so far. */
    int labelledSites() {
        return sites.labelledSites();
    }

    /** All outcome series of one (route, pool), at zero. */
    private static CounterDataPoint[] bind(Counter byRoute, String route, String pool) {
        DeliveryOutcome[] outcomes = DeliveryOutcome.values();
        CounterDataPoint[] series = new CounterDataPoint[outcomes.length];
        for (DeliveryOutcome o : outcomes) {
            series[o.ordinal()] = byRoute.labelValues(o.label(), route, pool);
        }
        return series;
    }

    /** All outcome series of one site (or source), at zero, so each appears on the first scrape after it is bound. */
    private static CounterDataPoint[] bind(Counter deliveries, String site) {
        DeliveryOutcome[] outcomes = DeliveryOutcome.values();
        CounterDataPoint[] series = new CounterDataPoint[outcomes.length];
        for (DeliveryOutcome o : outcomes) {
            series[o.ordinal()] = deliveries.labelValues(o.label(), site);
        }
        return series;
    }
}
