package io.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code sluice status}: the running daemon at a glance, from {@code GET /admin/status}: version, uptime,
 * listeners, queue totals, journal size and free disk, open connections, the sources (address, EHLO name,
 * whether each can send) and the smarthosts (each circuit breaker's state, failures, next probe). Exit codes as
 * {@link AdminCommand}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running daemon: version, uptime, listeners, queue totals, journal size, "
                + "connections, sources, smarthosts (circuit breakers).%n"
                + "Exit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token refused.")
final class StatusCommand extends AdminCommand {

    @Override
    String path() {
        return "/admin/status";
    }

    @Override
    Map<String, String> query() {
        return Map.of();
    }

    @Override
    void render(Map<String, Object> s, PrintWriter out) {
        Map<String, Object> q = obj(s, "queue");
        Map<String, Object> j = obj(s, "journal");
        out.println("version:            " + str(s, "version"));
        out.println("uptime:             " + HumanUnits.seconds(num(s, "uptime_seconds")) + " (since "
                + HumanUnits.time(num(s, "started_millis")) + ")");
        out.println("connections open:   " + num(s, "connections_open"));
        out.println("pending messages:   " + num(q, "pending_messages"));
        out.println("pending recipients: " + num(q, "pending_recipients") + " (scheduled " + num(q, "scheduled")
                + ", ready " + num(q, "ready") + ", in flight " + num(q, "in_flight") + ")");
        out.println("dead sites:         " + num(q, "dead_sites"));
        out.println("journal:            " + str(j, "dir") + ": bodies " + HumanUnits.bytes(num(j, "bodies_bytes"))
                + ", state " + HumanUnits.bytes(num(j, "state_bytes")) + ", events "
                + HumanUnits.bytes(num(j, "events_bytes")) + ", free disk " + HumanUnits.bytes(num(j, "free_bytes")));
        Map<String, Object> d = obj(s, "dns");
        if (!d.isEmpty()) {
            String failure = str(d, "failure");
            Object servers = d.get("resolvers");
            String names = servers instanceof java.util.List<?> l ? l.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) : "-";
            out.println("dns:                " + names + " (from " + str(d, "source") + "): "
                    + (failure == null ? "answering" : "FAILING since "
                    + HumanUnits.time(num(d, "failing_since_millis")) + ": " + failure
                    + " (mail is accepted and deferred)"));
        }
        out.println();
        TextTable listeners = new TextTable("LISTENER", "ADDRESS", ">PORT", "TLS");
        for (Map<String, Object> l : list(s, "listeners")) {
            listeners.row(str(l, "name"), str(l, "address"), num(l, "port"), str(l, "tls"));
        }
        listeners.print(out);
        if (!list(s, "sources").isEmpty()) {
            out.println();
            TextTable sources = new TextTable("SOURCE", "ADDRESS", "EHLO", "STATE");
            for (Map<String, Object> src : list(s, "sources")) {
                String address = str(src, "address");
                sources.row(str(src, "name"), address == null ? "(kernel chooses)" : address, str(src, "ehlo_name"),
                        str(src, "state"));
            }
            sources.print(out);
        }
        if (!list(s, "smarthosts").isEmpty()) {
            out.println();
            TextTable smarthosts = new TextTable("SMARTHOST", "HOST", ">PORT", "CIRCUIT", ">FAILURES", "NEXT PROBE",
                    ">OPENED");
            for (Map<String, Object> h : list(s, "smarthosts")) {
                String state = str(h, "state");
                String unresolved = str(h, "unresolved");
                long probe = num(h, "next_probe_millis");
                smarthosts.row(str(h, "name"), str(h, "host"), num(h, "port"),
                        unresolved != null && "unresolved".equals(state) ? state + ": " + unresolved : state,
                        num(h, "failures"), probe < 0 ? "-" : HumanUnits.time(probe), num(h, "opened"));
            }
            smarthosts.print(out);
        }
        ShapingActionsTable.print(list(obj(s, "shaping"), "actions"), out);
        List<Map<String, Object>> rotated = list(obj(s, "shaping"), "out_of_rotation");
        if (!rotated.isEmpty()) {
            out.println();
            TextTable t = new TextTable("OUT OF ROTATION", "PROVIDER", "PROBE AT", ">DEFERRED", ">BLOCKED");
            for (Map<String, Object> r : rotated) {
                t.row(str(r, "source"), str(r, "provider"), HumanUnits.time(num(r, "until_millis")),
                        String.format(java.util.Locale.ROOT, "%.0f%%", 100 * dbl(r, "deferral_rate")),
                        String.format(java.util.Locale.ROOT, "%.0f%%", 100 * dbl(r, "block_rate")));
            }
            t.print(out);
        }
    }

    private static double dbl(Map<String, Object> doc, String key) {
        return doc.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
