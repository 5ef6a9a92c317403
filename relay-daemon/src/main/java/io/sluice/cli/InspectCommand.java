package io.sluice.cli;

import io.sluice.journal.MessageIds;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice inspect --id ID} (or {@code inspect ID}, kept as an alias): one pending message, from
 * {@code GET /admin/inspect?id=ID}: envelope, size, received
 * time, and each recipient's state (pending, deferred with attempts and next due, or final), then each deferred
 * recipient's last reply (the MX host's, or Sluice's own reason such as a refused connection). Exit 1 when no
 * pending message has that id; otherwise as {@link AdminCommand}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show one pending message: envelope, size, received time, each recipient's state and"
                + " attempts, and the last reply of each deferred recipient."
                + "%nExit 0 ok, 1 no such pending message, 2 usage/unreachable, 3 token refused.")
final class InspectCommand extends AdminCommand {

    @Option(names = "--id", paramLabel = "ID",
            description = "the message: its queue id from the 250 reply (16 hex digits), as for hold, release, bounce")
    String id;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "the same as --id ID")
    String positionalId;

    @Override
    String invalidArguments() {
        if (id != null && positionalId != null && !id.equalsIgnoreCase(positionalId)) {
            return "give the message id once, as --id ID (or as ID)";
        }
        if (id == null) {
            id = positionalId;
        }
        if (id == null) {
            return "missing --id ID (the queue id from the 250 reply)";
        }
        try {
            MessageIds.parse(id);
            return null;
        } catch (IllegalArgumentException e) {
            return "ID must be a message id of 16 hex digits, as in '250 2.0.0 Ok: queued as <id>'";
        }
    }

    @Override
    String path() {
        return "/admin/inspect";
    }

    @Override
    Map<String, String> query() {
        return Map.of("id", id);
    }

    @Override
    void render(Map<String, Object> m, PrintWriter out) {
        out.println("id:        " + str(m, "id"));
        out.println("received:  " + HumanUnits.time(num(m, "received_millis")) + " ("
                + HumanUnits.seconds(num(m, "age_seconds")) + " ago)");
        out.println("size:      " + HumanUnits.bytes(num(m, "size_bytes")));
        String sender = str(m, "sender");
        out.println("sender:    <" + (sender == null ? "" : sender) + ">" + (sender == null || sender.isEmpty()
                ? " (null sender: a bounce or other notification)" : ""));
        out.println("client:    " + orDash(str(m, "client_address")) + " (helo " + orDash(str(m, "helo"))
                + ", listener " + orDash(str(m, "listener")) + ", auth " + orDash(str(m, "auth_identity")) + ")");
        if (str(m, "stream") != null) {
            out.println("stream:    " + str(m, "stream"));
        }
        java.util.Set<String> routes = new java.util.LinkedHashSet<>();
        for (Map<String, Object> r : list(m, "recipients")) {
            if (str(r, "route") != null) {
                routes.add(str(r, "route") + " (lane " + str(r, "lane") + ", " + str(r, "path") + ")");
            }
        }
        for (String route : routes) {
            out.println("route:     " + route);
        }
        out.println("pending:   " + num(m, "pending_recipients") + " of " + list(m, "recipients").size()
                + " recipients");
        out.println();
        TextTable recipients = new TextTable(">#", "RECIPIENT", "STATE", ">ATTEMPTS", ">NEXT DUE");
        for (Map<String, Object> r : list(m, "recipients")) {
            recipients.row(num(r, "index"), str(r, "address"), str(r, "state"), num(r, "attempts"),
                    num(r, "next_due_millis") < 0 ? "-"
                            : HumanUnits.time(num(r, "next_due_millis")) + " (in "
                            + HumanUnits.seconds(num(r, "next_due_in_seconds")) + ")");
        }
        recipients.print(out);
        boolean heading = false;
        for (Map<String, Object> r : list(m, "recipients")) {
            Map<String, Object> last = obj(r, "last_reply");
            if (last.isEmpty()) {
                continue;
            }
            if (!heading) {
                out.println();
                out.println("last replies:");
                heading = true;
            }
            long code = num(last, "code");
            out.println("  " + num(r, "index") + " " + str(r, "address") + ": "
                    + (code > 0 ? code + " " : "(sluice) ") + orDash(str(last, "text")));
        }
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
