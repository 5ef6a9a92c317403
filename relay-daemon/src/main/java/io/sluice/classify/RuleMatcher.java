package io.sluice.classify;

import io.sluice.config.BounceRuleSettings.Rule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One bounce rule compiled for matching: status and code patterns as numbers, commands normalised the way
 * {@link Reply} normalises them, its ASCII phrases as bits of the {@link PhraseScanner}'s result (the text is scanned
 * once for every rule), other phrases as substrings of the normalised text; a regex only when the rule has one.
 * Immutable, thread-safe.
 */
final class RuleMatcher {
    private static final int ANY = -1;

    final Rule rule;
    /** Bits of this rule's ASCII phrases in the scanner's ids; null when the rule has no phrases. */
    private final long[] phraseBits;
    /** Its phrases with non-ASCII characters, tested on the normalised text. */
    private final String[] otherPhrases;
    private final int[][] statuses; // {class, subject, detail}, ANY for a wildcard
    private final int[][] codes;    // {low, high} inclusive
    private final Set<String> commands;
    private final Set<String> notCommands;
    private final Pattern regex;

    RuleMatcher(Rule rule, java.util.Map<String, Integer> phraseIds) {
        this.rule = rule;
        if (rule.phrases().isEmpty()) {
            this.phraseBits = null;
            this.otherPhrases = new String[0];
        } else {
            long[] bits = new long[(phraseIds.size() + 63) >>> 6];
            List<String> other = new java.util.ArrayList<>();
            for (String p : rule.phrases()) {
                if (PhraseScanner.asciiOnly(p)) {
                    int id = phraseIds.get(p);
                    bits[id >>> 6] |= 1L << id;
                } else {
                    other.add(p);
                }
            }
            this.phraseBits = bits;
            this.otherPhrases = other.toArray(new String[0]);
        }
        this.statuses = rule.statuses().stream().map(RuleMatcher::status).toArray(int[][]::new);
        this.codes = rule.codes().stream().map(RuleMatcher::code).toArray(int[][]::new);
        this.commands = normalised(rule.commands());
        this.notCommands = normalised(rule.notCommands());
        this.regex = rule.regex() == null ? null
                : Pattern.compile(rule.regex(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** True when every condition of the rule holds for {@code reply}, whose text was scanned into {@code text}. */
    boolean matches(Reply reply, int[] status, ScannedText text) {
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
        if (phraseBits != null && !anyPhrase(text)) {
            return false;
        }
        return regex == null || regex.matcher(text.normalized()).find();
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

    private boolean anyPhrase(ScannedText text) {
        long[] found = text.found;
        for (int i = 0; i < phraseBits.length; i++) {
            if ((phraseBits[i] & found[i]) != 0) {
                return true;
            }
        }
        for (String p : otherPhrases) {
            if (text.normalized().contains(p)) {
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

    /** The rules compiled against {@code phraseIds}, the scanner's id of every phrase. */
    static List<RuleMatcher> compile(List<Rule> rules, java.util.Map<String, Integer> phraseIds) {
        return rules.stream().map(r -> new RuleMatcher(r, phraseIds)).toList();
    }
}
