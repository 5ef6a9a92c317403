package io.sluice.daemon;

import io.sluice.scheduler.QueueSnapshot;
import io.sluice.util.JsonText;

/**
 * The admin API's {@code queue} document, from a scheduler {@link QueueSnapshot}:
 * <pre>
 * {"as_of_millis": T, "scan_micros": N, "domain_filter": "d"|null,
 *  "totals": {"messages", "recipients", "waiting_dns", "scheduled", "ready", "in_flight", "dead_sites",
 *             "oldest_received_millis", "oldest_age_seconds"},
 *  "domains_total": N, "domains": [{"domain", "site", "messages", "recipients", "waiting_dns", "scheduled", "ready",
 *             "in_flight", "oldest_received_millis", "oldest_age_seconds", "next_retry_millis",
 *             "next_retry_in_seconds"}],
 *  "sites_total": N, "sites": [{"site", "domains", "recipients", "ready", "in_flight", "tasks_in_flight", "dead",
 *             "next_probe_millis", "oldest_received_millis", "oldest_age_seconds",
 *             "last_error": {"code": N|null, "mx": "..."|null, "text": "...", "millis": T, "age_seconds": N}|null}],
 *  "routes": [{"route", "pool", "messages", "recipients", "waiting_dns", "scheduled", "ready", "in_flight",
 *             "oldest_received_millis", "oldest_age_seconds"}]}
 * </pre>
 * {@code last_error} is the site's last temporary failure: the MX host's reply, or Sluice's own reason (a refused
 * connection, a timeout) with {@code code} and {@code mx} null.
 * Times are epoch millis and -1 when there is none (then the derived seconds are -1 too); ages and waits are
 * whole seconds relative to {@code as_of_millis}, never negative. Stateless.
 */
final class QueueJson {
    private QueueJson() {
    }

    static String render(QueueSnapshot s, String domainFilter) {
        long now = s.asOfMillis();
        StringBuilder out = new StringBuilder(256 + 256 * (s.domains().size() + s.sites().size()));
        out.append("{\"as_of_millis\":").append(now)
                .append(",\"scan_micros\":").append(s.scanNanos() / 1_000)
                .append(",\"domain_filter\":");
        JsonText.string(out, domainFilter);
        QueueSnapshot.Totals t = s.totals();
        out.append(",\"totals\":{\"messages\":").append(t.messages())
                .append(",\"recipients\":").append(t.recipients())
                .append(",\"waiting_dns\":").append(t.waitingDns())
                .append(",\"scheduled\":").append(t.scheduled())
                .append(",\"ready\":").append(t.ready())
                .append(",\"in_flight\":").append(t.inFlight())
                .append(",\"dead_sites\":").append(t.deadSites());
        oldest(out, t.oldestReceivedMillis(), now);
        out.append("},\"domains_total\":").append(s.domainsTotal()).append(",\"domains\":[");
        String comma = "";
        for (QueueSnapshot.DomainRow d : s.domains()) {
            out.append(comma).append("{\"domain\":");
            JsonText.string(out, d.domain()).append(",\"site\":");
            JsonText.string(out, d.site());
            out.append(",\"messages\":").append(d.messages())
                    .append(",\"recipients\":").append(d.recipients())
                    .append(",\"waiting_dns\":").append(d.waitingDns())
                    .append(",\"scheduled\":").append(d.scheduled())
                    .append(",\"ready\":").append(d.ready())
                    .append(",\"in_flight\":").append(d.inFlight());
            oldest(out, d.oldestReceivedMillis(), now);
            out.append(",\"next_retry_millis\":").append(d.nextRetryMillis())
                    .append(",\"next_retry_in_seconds\":")
                    .append(d.nextRetryMillis() < 0 ? -1 : Math.max(0, d.nextRetryMillis() - now) / 1_000)
                    .append('}');
            comma = ",";
        }
        out.append("],\"sites_total\":").append(s.sitesTotal()).append(",\"sites\":[");
        comma = "";
        for (QueueSnapshot.SiteRow site : s.sites()) {
            out.append(comma).append("{\"site\":");
            JsonText.string(out, site.site());
            out.append(",\"source\":");
            JsonText.string(out, site.source());
            out.append(",\"domains\":").append(site.domains())
                    .append(",\"recipients\":").append(site.recipients())
                    .append(",\"ready\":").append(site.ready())
                    .append(",\"in_flight\":").append(site.inFlight())
                    .append(",\"tasks_in_flight\":").append(site.tasksInFlight())
                    .append(",\"dead\":").append(site.dead())
                    .append(",\"next_probe_millis\":").append(site.nextProbeMillis());
            oldest(out, site.oldestReceivedMillis(), now);
            out.append(",\"last_error\":");
            if (site.lastError() == null) {
                out.append("null");
            } else {
                out.append("{\"code\":").append(site.lastErrorCode() > 0 ? Integer.toString(site.lastErrorCode())
                        : "null").append(",\"mx\":");
                JsonText.string(out, site.lastErrorMx()).append(",\"text\":");
                JsonText.string(out, site.lastError()).append(",\"millis\":").append(site.lastErrorMillis())
                        .append(",\"age_seconds\":").append(Math.max(0, now - site.lastErrorMillis()) / 1_000)
                        .append('}');
            }
            out.append('}');
            comma = ",";
        }
        out.append("],\"routes\":[");
        comma = "";
        for (QueueSnapshot.RouteRow r : s.routes()) {
            out.append(comma).append("{\"route\":");
            JsonText.string(out, r.route()).append(",\"pool\":");
            JsonText.string(out, r.pool()).append(",\"messages\":").append(r.messages())
                    .append(",\"recipients\":").append(r.recipients())
                    .append(",\"waiting_dns\":").append(r.waitingDns())
                    .append(",\"scheduled\":").append(r.scheduled())
                    .append(",\"ready\":").append(r.ready())
                    .append(",\"in_flight\":").append(r.inFlight());
            oldest(out, r.oldestReceivedMillis(), now);
            out.append('}');
            comma = ",";
        }
        return out.append("]}").toString();
    }

    private static void oldest(StringBuilder out, long receivedMillis, long now) {
        out.append(",\"oldest_received_millis\":").append(receivedMillis)
                .append(",\"oldest_age_seconds\":")
                .append(receivedMillis < 0 ? -1 : Math.max(0, now - receivedMillis) / 1_000);
    }
}
