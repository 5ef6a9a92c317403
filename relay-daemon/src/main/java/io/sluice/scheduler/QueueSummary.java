package io.sluice.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a {@link QueueSnapshot} on the scheduler thread: one pass over every live batch where it lives now
 * (waiting at its domain for DNS, in a site's ready queue, in flight, on a retry timer), adding it to its domain's,
 * its site's (source, site) and its route's (route, pool) row; then the rows are sorted by recipients and cut to the request's limit.
 *
 * <p>Why a pass and not counters kept per domain: oldest age and next retry are minima over batches that come and
 * go, which counters cannot keep without a heap per domain on the hot path. The pass touches each batch once
 * (pointer walks; a domain or site finds its row through scratch fields on its state, {@code summaryPass} and
 * {@code summaryRow}, so no hashing per batch), allocates only per domain and site, and runs only when an operator
 * asks. It is measured into {@link QueueSnapshot#scanNanos()}; on the 2-core test machine under load (load average
 * 5), a million one-recipient batches over 5,000 domains took about 40 ms in queues and 120-180 ms on retry timers
 * (the sink-down case; the timer map's iteration dominates). The scheduler does nothing else meanwhile: the price
 * of an exact, consistent answer, paid once per request (at most {@link OperatorRequests#MAX_SNAPSHOT_REQUESTS} wait).
 *
 * <p>Scheduler thread only. A batch is counted in exactly one place, since each sits in exactly one structure.
 */
final class QueueSummary {
    private final DomainTable domains;
    private final Resolutions resolutions;
    private final DispatchRing ring;
    private final RetryTimers timers;
    private final SchedulerCounters counters;
    private long passes;

    QueueSummary(DomainTable domains, Resolutions resolutions, DispatchRing ring, RetryTimers timers,
                 SchedulerCounters counters) {
        this.domains = domains;
        this.resolutions = resolutions;
        this.ring = ring;
        this.timers = timers;
        this.counters = counters;
    }

    /** Answers {@code request} with the state as of now. */
    QueueSnapshot build(SnapshotRequest request, long nowMillis) {
        long start = System.nanoTime();
        Pass pass = new Pass(++passes, request.domain());
        domains.forEach(d -> {
            for (Batch b = d.waiting.head(); b != null; b = b.next) {
                pass.add(b, Where.WAITING_DNS, -1);
            }
            for (Batch b = d.parked.head(); b != null; b = b.next) {
                pass.add(b, Where.SCHEDULED, -1); // held or suspended by an operator: waiting, with no retry time
            }
        });
        for (SiteState site : resolutions.sites()) {
            site.ready.forEach(b -> pass.add(b, Where.READY, -1));
        }
        ring.forEachInFlight(b -> pass.add(b, Where.IN_FLIGHT, -1));
        timers.forEachBatch(pass::addScheduled);
        return pass.result(request.limit(), nowMillis, System.nanoTime() - start);
    }

    private enum Where { WAITING_DNS, SCHEDULED, READY, IN_FLIGHT }

    /** Running sums of one domain, one site, or everything. */
    private static final class Sums {
        final DomainState domain;
        final SiteState site;
        long messages;
        long recipients;
        long waitingDns;
        long scheduled;
        long ready;
        long inFlight;
        long oldest = Long.MAX_VALUE;
        long nextRetry = Long.MAX_VALUE;
        /** For a site: domains counted here; for a domain: the site its last batch went to (one count each). */
        int domains;
        SiteState lastSite;

        Sums(DomainState domain, SiteState site) {
            this.domain = domain;
            this.site = site;
        }

        void add(Batch b, Where where, long due) {
            messages++;
            recipients += b.size;
            switch (where) {
                case WAITING_DNS -> waitingDns += b.size;
                case SCHEDULED -> scheduled += b.size;
                case READY -> ready += b.size;
                case IN_FLIGHT -> inFlight += b.size;
            }
            oldest = Math.min(oldest, b.receivedAtMillis);
            if (due >= 0) {
                nextRetry = Math.min(nextRetry, due);
            }
        }
    }

    private final class Pass {
        private final long pass;
        private final String domainFilter;
        private final List<Sums> byDomain = new ArrayList<>();
        private final List<Sums> bySite = new ArrayList<>();
        /** Per site, the domains already counted there (by identity); only consulted when a domain changes site. */
        private final List<java.util.Set<DomainState>> siteDomains = new ArrayList<>();
        private final Sums total = new Sums(null, null);
        /** Route name, then pool name ({@code -} for none) to their sums: two lookups per batch, no allocation. */
        private final java.util.Map<String, java.util.Map<String, Sums>> byRoute = new java.util.HashMap<>();

        Pass(long pass, String domainFilter) {
            this.pass = pass;
            this.domainFilter = domainFilter;
        }

        void addScheduled(Batch b, long dueMillis) {
            add(b, Where.SCHEDULED, dueMillis);
        }

        void add(Batch b, Where where, long due) {
            DomainState d = b.domain;
            if (domainFilter != null && !domainFilter.equals(d.name)) {
                return;
            }
            if (d.summaryPass != pass) {
                d.summaryPass = pass;
                d.summaryRow = byDomain.size();
                byDomain.add(new Sums(d, null));
            }
            Sums ds = byDomain.get(d.summaryRow);
            ds.add(b, where, due);
            total.add(b, where, due);
            byRoute.computeIfAbsent(b.routeName == null ? NONE : b.routeName, r -> new java.util.HashMap<>())
                    .computeIfAbsent(b.poolName == null ? NONE : b.poolName, p -> new Sums(null, null))
                    .add(b, where, due);
            SiteState site = b.site != null ? b.site : d.site == null ? null : d.site.first();
            if (site == null) {
                return;
            }
            if (site.summaryPass != pass) {
                site.summaryPass = pass;
                site.summaryRow = bySite.size();
                bySite.add(new Sums(null, site));
                siteDomains.add(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            }
            Sums ss = bySite.get(site.summaryRow);
            ss.add(b, where, due);
            if (ds.lastSite != site) {
                ds.lastSite = site;
                if (siteDomains.get(site.summaryRow).add(d)) {
                    ss.domains++;
                }
            }
        }

        QueueSnapshot result(int limit, long nowMillis, long scanNanos) {
            List<QueueSnapshot.DomainRow> domainRows = new ArrayList<>(byDomain.size());
            for (Sums s : byDomain) {
                DomainState d = s.domain;
                String site = d.site != null ? d.site.name : s.lastSite != null ? s.lastSite.name : null;
                domainRows.add(new QueueSnapshot.DomainRow(d.name, site,
                        s.messages, s.recipients, s.waitingDns, s.scheduled, s.ready, s.inFlight, orNone(s.oldest),
                        orNone(s.nextRetry)));
            }
            domainRows.sort(Comparator.comparingLong(QueueSnapshot.DomainRow::recipients).reversed()
                    .thenComparing(QueueSnapshot.DomainRow::domain));
            List<QueueSnapshot.SiteRow> siteRows = new ArrayList<>(bySite.size());
            for (Sums s : bySite) {
                SiteState site = s.site;
                boolean dead = site.health.isDead();
                siteRows.add(new QueueSnapshot.SiteRow(site.name, site.readyKey.source(), s.domains, s.recipients, s.ready,
                        s.inFlight, site.inFlight, dead, dead ? site.health.nextProbeAtMillis() : -1,
                        orNone(s.oldest), site.lastErrorCode, site.lastErrorText, site.lastErrorMx,
                        site.lastErrorMillis));
            }
            siteRows.sort(Comparator.comparingLong(QueueSnapshot.SiteRow::recipients).reversed()
                    .thenComparing(QueueSnapshot.SiteRow::site));
            QueueSnapshot.Totals totals = new QueueSnapshot.Totals(total.messages, total.recipients,
                    total.waitingDns, total.scheduled, total.ready, total.inFlight, counters.deadSites,
                    orNone(total.oldest));
            List<QueueSnapshot.RouteRow> routeRows = new ArrayList<>();
            byRoute.forEach((route, pools) -> pools.forEach((pool, r) -> routeRows.add(new QueueSnapshot.RouteRow(
                    route, pool, r.messages, r.recipients, r.waitingDns, r.scheduled, r.ready, r.inFlight,
                    orNone(r.oldest)))));
            routeRows.sort(Comparator.comparingLong(QueueSnapshot.RouteRow::recipients).reversed()
                    .thenComparing(QueueSnapshot.RouteRow::route).thenComparing(QueueSnapshot.RouteRow::pool));
            return new QueueSnapshot(nowMillis, scanNanos, totals,
                    domainRows.subList(0, Math.min(limit, domainRows.size())), domainRows.size(),
                    siteRows.subList(0, Math.min(limit, siteRows.size())), siteRows.size(), routeRows);
        }
    }

    /** The route or pool of a batch not placed yet (or placed through no pool). */
    private static final String NONE = "-";

    private static long orNone(long min) {
        return min == Long.MAX_VALUE ? -1 : min;
    }
}
