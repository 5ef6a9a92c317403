package io.sluice.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice queue [--domain D] [--limit N]}: pending recipients by destination domain and by site, from
 * {@code GET /admin/queue} (a snapshot the scheduler builds on its own thread): counts, oldest age, next retry,
 * largest first, at most {@code --limit} rows per table with a line saying how many more there are, then each
 * listed site's last temporary failure (the MX host's reply, or Sluice's own reason). Exit codes as
 * {@link AdminCommand}.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Show pending mail by domain and by site: counts, oldest age, next retry (largest first),"
                + " and each site's last error."
                + "%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class QueueCommand extends AdminCommand {
    static final int MAX_LIMIT = 1000;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "only this recipient domain")
    String domain;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "most rows per table, 1 to " + MAX_LIMIT + " (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    String invalidArguments() {
        if (limit < 1 || limit > MAX_LIMIT) {
            return "--limit must be 1 to " + MAX_LIMIT;
        }
        if (domain != null && (domain.isBlank() || domain.contains("@"))) {
            return "--domain takes a domain name, e.g. example.com";
        }
        return null;
    }

    @Override
    String path() {
        return "/admin/queue";
    }

    @Override
    Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("domain", domain);
        q.put("limit", Integer.toString(limit));
        return q;
    }

    @Override
    void render(Map<String, Object> doc, PrintWriter out) {
        Map<String, Object> t = obj(doc, "totals");
        out.println("total: " + num(doc, "domains_total") + " domains, " + num(doc, "sites_total") + " sites, "
                + num(t, "messages") + " messages, " + num(t, "recipients") + " recipients (waiting dns "
                + num(t, "waiting_dns") + ", scheduled " + num(t, "scheduled") + ", ready " + num(t, "ready")
                + ", in flight " + num(t, "in_flight") + "), oldest " + HumanUnits.seconds(num(t, "oldest_age_seconds"))
                + ", dead sites " + num(t, "dead_sites"));
        out.println();
        TextTable domains = new TextTable("DOMAIN", "SITE", ">MSGS", ">RCPTS", ">DNS", ">SCHED", ">READY",
                ">FLIGHT", ">OLDEST", ">NEXT RETRY");
        for (Map<String, Object> d : list(doc, "domains")) {
            domains.row(str(d, "domain"), str(d, "site"), num(d, "messages"), num(d, "recipients"),
                    num(d, "waiting_dns"), num(d, "scheduled"), num(d, "ready"), num(d, "in_flight"),
                    HumanUnits.seconds(num(d, "oldest_age_seconds")),
                    num(d, "next_retry_millis") < 0 ? "-" : "in " + HumanUnits.seconds(num(d, "next_retry_in_seconds")));
        }
        domains.print(out);
        more(out, list(doc, "domains").size(), num(doc, "domains_total"), "domains");
        out.println();
        TextTable sites = new TextTable("SITE", "SOURCE", ">DOMAINS", ">RCPTS", ">READY", ">FLIGHT", ">CONNS", "DEAD",
                ">OLDEST");
        for (Map<String, Object> s : list(doc, "sites")) {
            sites.row(str(s, "site"), str(s, "source"), num(s, "domains"), num(s, "recipients"), num(s, "ready"), num(s, "in_flight"),
                    num(s, "tasks_in_flight"), Boolean.TRUE.equals(s.get("dead")) ? "dead" : "-",
                    HumanUnits.seconds(num(s, "oldest_age_seconds")));
        }
        sites.print(out);
        more(out, list(doc, "sites").size(), num(doc, "sites_total"), "sites");
        if (!list(doc, "routes").isEmpty()) {
            out.println();
            TextTable routes = new TextTable("ROUTE", "POOL", ">MSGS", ">RCPTS", ">DNS", ">SCHED", ">READY", ">FLIGHT",
                    ">OLDEST");
            for (Map<String, Object> r : list(doc, "routes")) {
                routes.row(str(r, "route"), str(r, "pool"), num(r, "messages"), num(r, "recipients"),
                        num(r, "waiting_dns"), num(r, "scheduled"), num(r, "ready"), num(r, "in_flight"),
                        HumanUnits.seconds(num(r, "oldest_age_seconds")));
            }
            routes.print(out);
        }
        ShapingActionsTable.print(list(doc, "shaping_actions"), out);
        boolean heading = false;
        for (Map<String, Object> s : list(doc, "sites")) {
            Map<String, Object> e = obj(s, "last_error");
            if (e.isEmpty()) {
                continue;
            }
            if (!heading) {
                out.println();
                out.println("last errors:");
                heading = true;
            }
            long code = num(e, "code");
            out.println("  " + str(s, "site") + " (" + HumanUnits.seconds(num(e, "age_seconds")) + " ago): "
                    + (code > 0 ? str(e, "mx") + " said: " + code + " " : "(sluice) ") + str(e, "text"));
        }
    }

    private static void more(PrintWriter out, int shown, long total, String what) {
        if (total > shown) {
            out.println("(" + shown + " of " + total + " " + what + " shown; --limit for more)");
        }
    }
}
