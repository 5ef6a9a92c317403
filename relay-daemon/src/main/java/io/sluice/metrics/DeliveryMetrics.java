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
 * busiest sites, then {@value BoundedSiteLabels#OTHER}), whatever the number of destinations.
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

    private final BoundedSiteLabels<CounterDataPoint[]> sites;
    private final BucketHistogram.Recorder attemptSeconds;
    private final BucketHistogram.Recorder endToEndSeconds;

    DeliveryMetrics(Counter deliveries, BucketHistogram.Recorder attemptSeconds,
                    BucketHistogram.Recorder endToEndSeconds, int maxSites, int trackedSites, long promoteAfter) {
        this.attemptSeconds = attemptSeconds;
        this.endToEndSeconds = endToEndSeconds;
        this.sites = new BoundedSiteLabels<>(maxSites, trackedSites, promoteAfter, site -> bind(deliveries, site),
                bind(deliveries, BoundedSiteLabels.OTHER));
    }

    /** One recipient decision at {@code site} (null when no site is known). */
    public void outcome(DeliveryOutcome outcome, String site) {
        sites.forSite(site)[outcome.ordinal()].inc();
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

    /** All outcome series of one site, at zero, so each appears on the first scrape after the site's promotion. */
    private static CounterDataPoint[] bind(Counter deliveries, String site) {
        DeliveryOutcome[] outcomes = DeliveryOutcome.values();
        CounterDataPoint[] series = new CounterDataPoint[outcomes.length];
        for (DeliveryOutcome o : outcomes) {
            series[o.ordinal()] = deliveries.labelValues(o.label(), site);
        }
        return series;
    }
}
