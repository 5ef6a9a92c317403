package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.SettingsLoader;
import io.sluice.suppression.SuppressionCsv;
import io.sluice.suppression.SuppressionList;
import io.sluice.util.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice suppress add|remove|list|import|export}: the suppression list (docs/BOUNCES.md "Suppression").
 * {@code add}, {@code remove}, {@code list} and {@code import} go through the running daemon's admin API (it owns the
 * list; an add is durable when the command returns); {@code export} reads the list's log in the journal directory
 * itself, read-only, so it works with the daemon stopped too. Exit codes as {@link AdminCommand}.
 */
@Command(name = "suppress", mixinStandardHelpOptions = true,
        description = "The suppression list: addresses Sluice does not send to (globally, per sender domain or per "
                + "AUTH identity).",
        subcommands = {SuppressCommand.Add.class, SuppressCommand.Remove.class, SuppressCommand.ListEntries.class,
                SuppressCommand.Import.class, SuppressCommand.Export.class})
final class SuppressCommand {
    /** Lines per request of an import: well under the admin API's 64 KiB body limit. */
    static final int IMPORT_CHUNK_LINES = 400;

    /** What every subcommand that talks to the daemon has: where it is, and the command line's writers. */
    abstract static class DaemonCall implements Callable<Integer> {
        @Mixin
        AdminClientOptions client;

        @Spec
        CommandSpec spec;
    }

    /** What add and remove share: the addresses and their scope. */
    abstract static class Change extends DaemonCall {
        @Parameters(arity = "1..*", paramLabel = "ADDRESS", description = "one or more recipient addresses")
        List<String> addresses;

        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global",
                description = "global (default), sender-domain, auth or from-domain (the header From's domain)")
        String scope;

        @Option(names = "--value", paramLabel = "V",
                description = "the sender domain, AUTH identity or From: domain the scope names")
        String value;

        String csv(String reason, String expires) {
            StringBuilder out = new StringBuilder();
            for (String a : addresses) {
                out.append(quote(a)).append(',').append(scope).append(',').append(quote(value == null ? "" : value))
                        .append(',').append(reason == null ? "" : reason).append(",,,")
                        .append(expires == null ? "" : expires).append('\n');
            }
            return out.toString();
        }

        Integer post(String path, String csv) throws InterruptedException {
            return SuppressCommand.post(client, spec, path, csv, false);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Put addresses on the suppression list (durable when the command returns).")
    static final class Add extends Change {
        @Option(names = "--reason", paramLabel = "REASON",
                description = "a bounce reason to record (userunknown, feedback, ...); default undefined")
        String reason;

        @Option(names = "--for", paramLabel = "DURATION",
                description = "suppress for this long only (e.g. 30d, 12h); default: until removed")
        String forDuration;

        @Override
        public Integer call() throws InterruptedException {
            String expires = null;
            if (forDuration != null) {
                try {
                    expires = Instant.now().plus(Durations.parse(forDuration)).toString();
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": --for " + forDuration + ": "
                            + e.getMessage());
                    return AdminCommand.USAGE;
                }
            }
            return post("/admin/suppression", csv(reason, expires));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Take addresses off the suppression list (in the scope given).")
    static final class Remove extends Change {
        @Override
        public Integer call() throws InterruptedException {
            return post("/admin/suppression/remove", csv(null, null));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the entries in force as CSV (" + SuppressionCsv.HEADER + ").")
    static final class ListEntries extends DaemonCall {
        @Option(names = "--address", paramLabel = "A", description = "only this address's entries")
        String address;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N (default 100)")
        int limit;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("address", address);
            query.put("limit", Integer.toString(limit));
            return send(client, spec, http -> http.get("/admin/suppression", query)); // CSV, printed as it came
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Add every entry of a CSV file (" + SuppressionCsv.HEADER + "; only address is required; "
                    + "the header line is optional), source import. A bad line stops the import there, naming it.")
    static final class Import extends DaemonCall {
        @Parameters(index = "0", paramLabel = "FILE", description = "the CSV file; - reads stdin")
        Path file;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            List<String> lines;
            try {
                lines = file.toString().equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                        : Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                err.println(spec.qualifiedName() + ": " + file + ": no such file");
                return AdminCommand.REFUSED;
            } catch (IOException e) {
                err.println(spec.qualifiedName() + ": " + file + ": " + e.getMessage());
                return AdminCommand.REFUSED;
            }
            int start = 0;
            if (!lines.isEmpty() && SuppressionCsv.isHeader(lines.get(0))) {
                start = 1;
            }
            int sent = 0;
            for (int i = start; i < lines.size(); i += IMPORT_CHUNK_LINES) {
                List<String> chunk = new ArrayList<>(lines.subList(i, Math.min(lines.size(), i + IMPORT_CHUNK_LINES)));
                Integer code = post(client, spec, "/admin/suppression", String.join("\n", chunk), true);
                if (code != AdminCommand.OK) {
                    err.println(spec.qualifiedName() + ": stopped at the part starting at line " + (i + 1) + " of "
                            + file + " (line numbers in the error count from that part); " + sent
                            + " lines before it were imported");
                    return code;
                }
                sent += chunk.size();
            }
            return AdminCommand.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every entry in force as CSV (" + SuppressionCsv.HEADER + "), read from the list's "
                    + "log in the journal directory (works with the daemon running or stopped).")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigLocation location;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "where to write; default stdout")
        Path target;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Path log;
            try {
                log = SettingsLoader.load(location.path()).journal().dir().resolve("suppression.log");
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return AdminCommand.USAGE;
            }
            if (!Files.exists(log)) {
                err.println(spec.qualifiedName() + ": " + log + " does not exist (no entry was ever added)");
                return AdminCommand.REFUSED;
            }
            Writer out = target == null ? spec.commandLine().getOut()
                    : Files.newBufferedWriter(target, StandardCharsets.UTF_8);
            try {
                out.write(SuppressionCsv.HEADER + "\n");
                IOException[] failed = {null};
                long n = SuppressionList.export(log, System.currentTimeMillis(), e -> {
                    try {
                        out.write(SuppressionCsv.line(e) + "\n");
                    } catch (IOException x) {
                        failed[0] = x;
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
                if (target != null) {
                    err.println(n + " entries written to " + target);
                }
            } finally {
                out.flush();
                if (target != null) {
                    out.close();
                }
            }
            return AdminCommand.OK;
        }
    }

    /** POSTs CSV to the admin API and prints its JSON answer; the exit code. */
    static Integer post(AdminClientOptions client, CommandSpec spec, String path, String csv, boolean imported)
            throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("import", imported ? "true" : null);
        return send(client, spec, http -> http.post(path, query, csv, "text/csv; charset=utf-8"));
    }

    /** One admin API request. */
    @FunctionalInterface
    interface Request {
        AdminClient.Reply send(AdminClient http) throws IOException, InterruptedException;
    }

    /**
     * Finds the daemon, makes the request and prints the answer's body as it came (JSON or CSV); the exit code as
     * {@link AdminCommand}'s.
     */
    static Integer send(AdminClientOptions client, CommandSpec spec, Request request) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        AdminClient http;
        try {
            http = new AdminClient(client.endpoint());
        } catch (AdminClientOptions.UsageProblem e) {
            err.println(name + ": " + e.getMessage());
            return AdminCommand.USAGE;
        }
        AdminClient.Reply reply;
        try {
            reply = request.send(http);
        } catch (IOException e) {
            err.println(name + ": " + AdminCommand.unreachable(http, e));
            return AdminCommand.USAGE;
        }
        Integer failed = AdminCommand.failure(reply, err, name);
        if (failed != null) {
            return failed;
        }
        out.println(reply.body().strip());
        out.flush();
        return AdminCommand.OK;
    }

    private static String quote(String v) {
        return v.indexOf(',') < 0 && v.indexOf('"') < 0 ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
