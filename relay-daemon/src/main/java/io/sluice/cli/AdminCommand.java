package io.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every admin-API command does the same way: find the daemon from {@code --config}
 * ({@link AdminClientOptions}), make one request (GET to look, POST to act), then print either the server's JSON ({@code --json}) or a human
 * rendering of it, and map the outcome to the exit code:
 * <ul>
 *   <li>{@value #OK}: answered;</li>
 *   <li>{@value #REFUSED}: not found, or the server said no (4xx other than auth, 5xx, e.g. busy);</li>
 *   <li>{@value #USAGE}: bad usage, config or token file unusable, daemon unreachable;</li>
 *   <li>{@value #UNAUTHORIZED}: the token was refused (401), or the API is off (403).</li>
 * </ul>
 * Output goes to the command line's writers, so tests capture it. Subclasses name the path and parameters and
 * render the parsed document.
 */
abstract class AdminCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNAUTHORIZED = 3;

    @Mixin
    AdminClientOptions client;

    @Option(names = "--json", description = "print the admin API's JSON answer instead of a table")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The admin API path. */
    abstract String path();

    /** The HTTP method: GET for the read-only commands, POST for those that change something. */
    String method() {
        return "GET";
    }

    /**
     * A step between finding the daemon and the request (a confirmation, for {@code bounce}): null to go on, or
     * the exit code to stop with.
     */
    Integer beforeRequest(AdminClient http, PrintWriter out, PrintWriter err) throws InterruptedException {
        return null;
    }

    /** Its query parameters (null values are left out). */
    abstract Map<String, String> query();

    /** Prints the parsed answer for people. */
    abstract void render(Map<String, Object> answer, PrintWriter out);

    /**
     * Answers without the daemon when the command can and was asked to (e.g. {@code shaping show --config FILE}):
     * the exit code, or null to ask the daemon. Called after the arguments were checked.
     */
    Integer answerOffline(PrintWriter out, PrintWriter err) throws InterruptedException {
        return null;
    }

    /** Why the arguments cannot be sent (exit 2), or null; checked before anything else. */
    String invalidArguments() {
        return null;
    }

    @Override
    public final Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName(); // "sluice status", "sluice shaping show"
        String invalid = invalidArguments();
        if (invalid != null) {
            err.println(name + ": " + invalid);
            return USAGE;
        }
        Integer offline = answerOffline(out, err);
        if (offline != null) {
            out.flush();
            err.flush();
            return offline;
        }
        AdminClient http;
        try {
            http = new AdminClient(client.endpoint());
        } catch (AdminClientOptions.UsageProblem e) {
            err.println(name + ": " + e.getMessage());
            return USAGE;
        }
        Integer stop = beforeRequest(http, out, err);
        if (stop != null) {
            out.flush();
            return stop;
        }
        AdminClient.Reply reply;
        try {
            reply = http.send(method(), path(), query());
        } catch (IOException e) {
            err.println(name + ": " + unreachable(http, e));
            return USAGE;
        }
        Integer failed = failure(reply, err, name);
        if (failed != null) {
            return failed;
        }
        if (json) {
            out.println(reply.body().strip());
        } else {
            Object doc;
            try {
                doc = JsonReader.parse(reply.body());
            } catch (IllegalArgumentException e) {
                err.println(name + ": unreadable answer from the daemon: " + e.getMessage());
                return REFUSED;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) doc;
            render(answer, out);
        }
        out.flush();
        return OK;
    }

    /** The message for a daemon that cannot be reached. */
    static String unreachable(AdminClient http, IOException e) {
        return "cannot reach the daemon's admin API at " + http.target() + ": " + e + " (is sluice running?)";
    }

    /** The exit code for a reply that is not a 200 (after printing why), or null for a 200. */
    static Integer failure(AdminClient.Reply reply, PrintWriter err, String name) {
        if (reply.status() == 401 || reply.status() == 403) {
            err.println(name + ": refused (" + reply.status() + "): " + reply.body().strip());
            return UNAUTHORIZED;
        }
        if (reply.status() != 200) {
            err.println(name + ": " + reply.status() + ": " + errorText(reply.body()));
            return REFUSED;
        }
        return null;
    }

    /** A number field; -1 when absent or null (the API's "none"). */
    static long num(Map<?, ?> doc, String key) {
        return doc.get(key) instanceof Number n ? n.longValue() : -1;
    }

    /** A string field, or null. */
    static String str(Map<?, ?> doc, String key) {
        Object v = doc.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** An object field (empty when absent). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<?, ?> doc, String key) {
        return doc.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** An array-of-objects field (empty when absent). */
    @SuppressWarnings("unchecked")
    static java.util.List<Map<String, Object>> list(Map<?, ?> doc, String key) {
        return doc.get(key) instanceof java.util.List<?> l ? (java.util.List<Map<String, Object>>) l
                : java.util.List.of();
    }

    /** The {@code error} field of a JSON error body, else the body itself. */
    private static String errorText(String body) {
        try {
            if (JsonReader.parse(body) instanceof Map<?, ?> m && m.get("error") instanceof String s) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // not JSON (e.g. a plain-text 404 from the route table): print as is
        }
        return body.strip();
    }
}
