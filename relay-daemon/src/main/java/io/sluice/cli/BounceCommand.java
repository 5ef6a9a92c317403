package io.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bounce (--domain D | --id ID) --reason TEXT [--yes | --dry-run]}: gives up every pending recipient
 * of the domain or message as bounced ({@code 5.0.0} with the reason), with a DSN to the sender as for any bounce.
 * Recipients in a delivery in flight finish that attempt. Irreversible, so it first asks the daemon how many
 * recipients match (a dry run) and prompts {@code Bounce N recipients of <target>? [y/N]} on the terminal;
 * {@code --yes} skips the prompt (scripts), {@code --dry-run} only prints the count. No answer, or anything but
 * {@code y}/{@code yes}, exits 1 with nothing done.
 */
@Command(name = "bounce", mixinStandardHelpOptions = true,
        description = "Fail pending mail of a domain or one message now, with a DSN to each sender. Asks for "
                + "confirmation unless --yes.%nExit 0 ok, 1 the daemon said no or not confirmed, "
                + "2 usage/unreachable, 3 token refused.")
final class BounceCommand extends DomainOrIdCommand {
    BounceCommand() {
        super("bounce", "bounced");
    }

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "why, for the DSN and the event log (up to 200 printable characters)")
    String reason;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
    boolean yes;

    @Option(names = "--dry-run", description = "only print how many recipients would be bounced")
    boolean dryRun;

    /** Where the confirmation is read from; tests replace it. */
    InputStream in = System.in;

    @Override
    String invalidArguments() {
        return firstProblem(super.invalidArguments(),
                reason.isBlank() || reason.length() > 200 ? "--reason takes 1 to 200 characters" : null,
                yes && dryRun ? "--yes and --dry-run exclude each other" : null);
    }

    @Override
    String verb() {
        return dryRun ? "would be bounced" : "bounced";
    }

    @Override
    void parameters(Map<String, String> q) {
        super.parameters(q);
        q.put("reason", reason);
        q.put("dry_run", dryRun ? "true" : null);
    }

    @Override
    Integer beforeRequest(AdminClient http, PrintWriter out, PrintWriter err) throws InterruptedException {
        if (yes || dryRun) {
            return null;
        }
        String name = "sluice bounce";
        Map<String, String> q = new LinkedHashMap<>(query());
        q.put("dry_run", "true");
        AdminClient.Reply reply;
        try {
            reply = http.send("POST", path(), q);
        } catch (IOException e) {
            err.println(name + ": " + unreachable(http, e));
            return USAGE;
        }
        Integer failed = failure(reply, err, name);
        if (failed != null) {
            return failed;
        }
        Map<?, ?> answer = (Map<?, ?>) JsonReader.parse(reply.body());
        long n = num(answer, "recipients");
        if (n == 0) {
            out.println("bounce " + str(answer, "target") + ": no pending recipients (not in flight) match");
            return OK;
        }
        out.print("Bounce " + n + " recipients of " + str(answer, "target") + "? [y/N] ");
        out.flush();
        String line;
        try {
            line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            line = null;
        }
        String a = line == null ? "" : line.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            out.println();
            err.println(name + ": not confirmed; nothing bounced");
            return REFUSED;
        }
        return null;
    }
}
