package io.sluice.classify;

import io.sluice.config.BounceRuleSettings.Rule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One bounce rule compiled for matching: status and code patterns as numbers, commands normalised the way
 * {@link Reply} normalises them, phrases as plain substrings (a {@link String#contains} per phrase: no regex unless
 * the rule has one). Immutable, thread-safe.
 */
final class RuleMatcher {
    private static final int ANY = -1;

    final Rule rule;
    private final String[] phrases;
    private final int[][] statuses; // {class, subject, detail}, ANY for a wildcard
    private final int[][] codes;    // {low, high} inclusive
    private final Set<String> commands;
    private final Set<String> notCommands;
    private final Pattern regex;

    RuleMatcher(Rule rule) {
        this.rule = rule;
        this.phrases = rule.phrases().toArray(new String[0]);
        this.statuses = rule.statuses().stream().map(RuleMatcher::status).toArray(int[][]::new);
        this.codes = rule.codes().stream().map(RuleMatcher::code).toArray(int[][]::new);
        this.commands = normalised(rule.commands());
        this.notCommands = normalised(rule.notCommands());
        this.regex = rule.regex() == null ? null
                : Pattern.compile(rule.regex(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** True when every condition of the rule holds; {@code text} is lower case with white space collapsed. */
    boolean matches(Reply reply, int[] status, String text) {
        if (!commands.isEmpty() && !commands.contains(reply.command())) {
            return false;
        }
        if (notCommands.contains(reply.command())) {
            return false;
        }
        if (!rule.actions().isEmpty() && !rule.actions().contains(reply.action())) {
            return false;
        }
        if (codes.length > 0 && !codeMatches(reply.code())) {
            return false;
        }
        if (statuses.length > 0 && !statusMatches(status)) {
            return false;
        }
        if (phrases.length > 0 && !anyPhrase(text)) {
            return false;
        }
        return regex == null || regex.matcher(text).find();
    }

    private boolean codeMatches(int code) {
        for (int[] c : codes) {
            if (code >= c[0] && code <= c[1]) {
                return true;
            }
        }
        return false;
    }

    private boolean statusMatches(int[] status) {
        if (status == null) {
            return false;
        }
        for (int[] s : statuses) {
            if ((s[0] == ANY || s[0] == status[0]) && (s[1] == ANY || s[1] == status[1])
                    && (s[2] == ANY || s[2] == status[2])) {
                return true;
            }
        }
        return false;
    }

    private boolean anyPhrase(String text) {
        for (String p : phrases) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static int[] status(String pattern) {
        String[] parts = pattern.split("\\.");
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            out[i] = parts[i].equals("*") ? ANY : Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static int[] code(String pattern) {
        String low = pattern.replace('x', '0');
        String high = pattern.replace('x', '9');
        return new int[] {Integer.parseInt(low), Integer.parseInt(high)};
    }

    private static Set<String> normalised(Set<String> commands) {
        Set<String> out = new HashSet<>();
        for (String c : commands) {
            out.add(Reply.command(c));
        }
        return Set.copyOf(out);
    }

    static List<RuleMatcher> compile(List<Rule> rules) {
        return rules.stream().map(RuleMatcher::new).toList();
    }
}
