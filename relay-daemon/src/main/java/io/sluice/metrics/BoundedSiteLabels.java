package io.sluice.metrics;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Per-site metric series with a bounded label set: at most {@code maxSites} sites get series of their own, chosen
 * by volume; every other site, and events without a site, share the {@value #OTHER} series.
 *
 * <p>Why: a relay sees an open-ended set of destination sites, and a label value per site would grow the
 * {@code /metrics} output (and Prometheus' index) without bound. The busiest sites are what dashboards need.
 *
 * <p>Rule: a site earns its own series once a {@link SpaceSaving} sketch of {@code trackedSites} counters
 * guarantees it has been seen at least {@code promoteAfter} times (a lower bound, so a light site is never
 * promoted by sketch error), while fewer than {@code maxSites} sites hold one. A series, once given, is kept for
 * the life of the process, so a series never disappears and reappears. A site's events before its promotion stay
 * counted in {@value #OTHER}. The label value set is therefore at most {@code maxSites + 1}.
 *
 * <p>Cost: for a site with a series, one {@link ConcurrentHashMap} lookup, lock-free and allocation-free. For the
 * others, while labels remain, the same lookup plus an O(log trackedSites) sketch update under a lock; once all
 * labels are given, the lookup plus a volatile read. Series are built (by {@code create}) at most
 * {@code maxSites} times.
 *
 * <p>Threading: {@link #forSite} is thread-safe. Failure modes: none; a {@code create} that throws propagates to
 * the caller and the site stays unlabelled.
 *
 * @param <T> one site's series (e.g. its pre-bound counters)
 */
final class BoundedSiteLabels<T> {
    /** The label value shared by every site without a series of its own. */
    static final String OTHER = "other";

    private final int maxSites;
    private final long promoteAfter;
    private final Function<String, T> create;
    private final T other;
    private final ConcurrentHashMap<String, T> labelled;
    private final SpaceSaving candidates;
    private volatile boolean full;

    /**
     * @param maxSites     most sites with their own series (N)
     * @param trackedSites counters in the sketch; several times {@code maxSites} finds heavy sites reliably
     * @param promoteAfter guaranteed events before a site gets its own series
     * @param create       builds a site's series from its label value
     * @param other        the shared series
     */
    BoundedSiteLabels(int maxSites, int trackedSites, long promoteAfter, Function<String, T> create, T other) {
        if (maxSites < 0 || trackedSites < 1 || promoteAfter < 1) {
            throw new IllegalArgumentException("maxSites >= 0, trackedSites >= 1, promoteAfter >= 1 required");
        }
        this.maxSites = maxSites;
        this.promoteAfter = promoteAfter;
        this.create = Objects.requireNonNull(create, "create");
        this.other = Objects.requireNonNull(other, "other");
        this.labelled = new ConcurrentHashMap<>(maxSites * 2 + 1);
        this.candidates = new SpaceSaving(trackedSites);
        this.full = maxSites == 0;
    }

    /** The series to count an event at {@code site} in (null: no site known, e.g. a DNS failure). */
    T forSite(String site) {
        if (site == null) {
            return other;
        }
        T series = labelled.get(site);
        if (series != null) {
            return series;
        }
        if (full || OTHER.equals(site)) {
            return other;
        }
        synchronized (candidates) {
            series = labelled.get(site);
            if (series != null) {
                return series;
            }
            if (full || candidates.offer(site) < promoteAfter) {
                return other;
            }
            candidates.remove(site);
            series = create.apply(site);
            labelled.put(site, series);
            full = labelled.size() >= maxSites;
            return series;
        }
    }

    /** Sites with a series of their own (never more than {@code maxSites}). */
    int labelledSites() {
        return labelled.size();
    }
}
