package io.sluice.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the queue-steering commands ({@code flush}, {@code suspend}, {@code resume}, {@code hold},
 * {@code release}, {@code bounce}) share: a POST to {@code /admin/<action>} with the target as query parameters,
 * and one line of answer: {@code <action> <target>: N recipients <verb>}, plus how many matching recipients were in
 * flight and left to finish. Exit codes as {@link AdminCommand}; a target given twice or not at all is a usage
 * error (exit 2) before anything is sent.
 */
abstract class QueueActionCommand extends AdminCommand {
    private final String action;
    private final String verb;

    /**
     * @param action the action's name, as in the path
     * @param verb   what happened to the recipients, for the answer line, e.g. {@code made due now}
     */
    QueueActionCommand(String action, String verb) {
        this.action = action;
        this.verb = verb;
    }

    final String action() {
        return action;
    }

    /** The verb given at construction; a command whose verb depends on its options overrides this. */
    String verb() {
        return verb;
    }

    /** The target and options as query parameters (null values are left out). */
    abstract void parameters(Map<String, String> query);

    @Override
    final String path() {
        return "/admin/" + action();
    }

    @Override
    final String method() {
        return "POST";
    }

    @Override
    final Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        parameters(q);
        return q;
    }

    @Override
    void render(Map<String, Object> answer, PrintWriter out) {
        long inFlight = num(answer, "in_flight");
        out.println(str(answer, "action") + " " + str(answer, "target") + ": " + num(answer, "recipients")
                + " recipients " + verb() + (inFlight > 0 ? "; " + inFlight + " in flight left to finish" : ""));
    }

    /** Usage problem when not exactly one of the values is set (null ones count as unset). */
    static String exactlyOne(String names, String... values) {
        int n = 0;
        for (String v : values) {
            n += v != null ? 1 : 0;
        }
        return n == 1 ? null : "give exactly one of " + names;
    }

    /** Usage problem for a bad --domain / --site value, or null. */
    static String badName(String option, String value) {
        if (value != null && (value.isBlank() || value.contains("@") || value.contains(" "))) {
            return option + " takes a name without '@' or spaces, e.g. example.com";
        }
        return null;
    }

    /** Usage problem for a bad --id value, or null. */
    static String badId(String id) {
        if (id == null) {
            return null;
        }
        try {
            io.sluice.journal.MessageIds.parse(id);
            return null;
        } catch (IllegalArgumentException e) {
            return "--id must be a message id of 16 hex digits, as in '250 2.0.0 Ok: queued as <id>'";
        }
    }

    static String firstProblem(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
