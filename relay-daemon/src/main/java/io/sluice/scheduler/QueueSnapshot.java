package io.sluice.scheduler;

import java.util.List;

/**
 * What the scheduler holds, summarised by destination domain and by site, as of one scheduler cycle: the answer to
 * {@link Scheduler#requestSnapshot} (the admin API's {@code queue} and the CLI's {@code sluice queue}).
 *
 * <p>Counts are recipients unless named otherwise; {@code messages} counts batches (one per message and domain,
 * more for a message with more recipients at one domain than one transaction takes). Times are epoch millis, -1
 * when there is none. Rows are the largest by recipients, at most the requested limit; the totals cover every
 * domain and site, so a capped list still says how much it left out. Immutable.
 *
 * @param asOfMillis     the scheduler's clock when it built this
 * @param scanNanos      how long the scheduler thread spent building it
 * @param totals         everything the scheduler holds (or, with a domain filter, everything of that domain)
 * @param domains        the largest domains by recipients, largest first
 * @param domainsTotal   how many domains have pending recipients (before the cap)
 * @param sites          the largest sites by recipients, largest first
 * @param sitesTotal     how many sites have pending recipients (before the cap)
 * @param routes         pending recipients by route and pool, most first (not capped)
 */
public record QueueSnapshot(long asOfMillis, long scanNanos, Totals totals, List<DomainRow> domains,
                            int domainsTotal, List<SiteRow> sites, int sitesTotal, List<RouteRow> routes) {

    public QueueSnapshot {
        domains = List.copyOf(domains);
        sites = List.copyOf(sites);
        routes = List.copyOf(routes);
    }

    /**
     * The pending recipients of one route and pool (as of their batch's last placement; both {@code -} before the
     * first, e.g. waiting for DNS), every pair: routes and pools come from the config.
     *
     * @param route  {@code routes[].name}, or {@code -}
     * @param pool   the pool its source was picked from, or {@code -} (none, or not placed yet)
     */
    public record RouteRow(String route, String pool, long messages, long recipients, long waitingDns, long scheduled,
                           long ready, long inFlight, long oldestReceivedMillis) {
    }

    /**
     * @param messages     batches (see the class comment)
     * @param recipients   recipients
     * @param waitingDns   recipients waiting for a DNS answer
     * @param scheduled    recipients waiting for a retry (or recovery) timer
     * @param ready        recipients in site ready queues
     * @param inFlight     recipients in tasks handed to the delivery stage
     * @param deadSites    sites marked dead (whole scheduler, not filtered)
     * @param oldestReceivedMillis the earliest received time of any of them, -1 when empty
     */
    public record Totals(long messages, long recipients, long waitingDns, long scheduled, long ready, long inFlight,
                         int deadSites, long oldestReceivedMillis) {
    }

    /**
     * One destination domain.
     *
     * @param domain          lower-case domain
     * @param site            its site (MX hosts, comma-separated) as last resolved, or null
     * @param messages        batches (see the class comment)
     * @param recipients      recipients
     * @param waitingDns      recipients waiting for DNS
     * @param scheduled       recipients waiting for a retry timer
     * @param ready           recipients in a ready queue
     * @param inFlight        recipients being delivered
     * @param oldestReceivedMillis earliest received time among its messages
     * @param nextRetryMillis earliest retry timer among its batches, -1 when none is on a timer
     */
    public record DomainRow(String domain, String site, long messages, long recipients, long waitingDns,
                            long scheduled, long ready, long inFlight, long oldestReceivedMillis,
                            long nextRetryMillis) {
    }

    /**
     * One site (MX host set).
     *
     * @param site            MX hosts, comma-separated
     * @param domains         domains with recipients counted here
     * @param recipients      recipients whose batch was last routed to this site
     * @param ready           recipients in its ready queue
     * @param inFlight        recipients being delivered to it
     * @param tasksInFlight   its tasks in flight (connections in use)
     * @param dead            whether it is marked dead
     * @param nextProbeMillis when a dead site may be probed next, -1 when alive
     * @param oldestReceivedMillis earliest received time among its messages
     * @param lastErrorCode   reply code of the last temporary failure of an attempt here; 0 for Sluice's own reason
     * @param lastError       that failure's text (reply or reason), null when none since the site was first routed to
     * @param lastErrorMx     the MX host that replied, null for Sluice's own reason
     * @param lastErrorMillis when, -1 when none
     */
    public record SiteRow(String site, String source, int domains, long recipients, long ready, long inFlight, int tasksInFlight,
                          boolean dead, long nextProbeMillis, long oldestReceivedMillis, int lastErrorCode,
                          String lastError, String lastErrorMx, long lastErrorMillis) {
    }
}
