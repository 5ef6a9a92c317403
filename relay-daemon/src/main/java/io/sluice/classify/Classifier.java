package io.sluice.classify;

import io.sluice.config.BounceRuleSettings;
import io.sluice.model.BounceReason;
import java.util.List;
import java.util.Locale;

/**
 * Classifies a failed delivery's reply, or a DSN's per-recipient diagnostic, into a {@link BounceReason} and the
 * hard flag, by the first of the bounce rules (conf/bounce-rules.yaml, operator rules first) whose conditions all
 * hold; a failure no rule matches gets the rules' fallback (onhold), and a reply with nothing to go on
 * ({@code undefined}).
 *
 * <p>Pure: no I/O, no state beyond the compiled rules; thread-safe, so one instance serves every delivery thread and
 * the feedback intake. A reload builds a new one from the new snapshot. Rules are tried in order, cheapest
 * conditions first within each. Never called on
 * the scheduler thread (docs/BOUNCES.md, the performance target). The text is scanned once for every rule's phrases
 * ({@link PhraseScanner}, an Aho-Corasick automaton) rather than once per phrase.
 */
public final class Classifier {
    /** The rule name of a verdict no rule decided. */
    public static final String FALLBACK = "fallback";

    private final List<RuleMatcher> rules;
    private final PhraseScanner scanner;
    private final BounceReason fallback;

    private Classifier(List<RuleMatcher> rules, PhraseScanner scanner, BounceReason fallback) {
        this.rules = rules;
        this.scanner = scanner;
        this.fallback = fallback;
    }

    /** The classifier of the built-in rules (the copy of conf/bounce-rules.yaml in the jar), made once. */
    public static Classifier builtIn() {
        return BuiltIn.INSTANCE;
    }

    private static final class BuiltIn {
        static final Classifier INSTANCE = of(io.sluice.config.SettingsLoader.defaults().bounces());
    }

    /** A classifier for these (loaded) rules. */
    public static Classifier of(BounceRuleSettings settings) {
        java.util.Map<String, Integer> ids = new java.util.LinkedHashMap<>();
        for (BounceRuleSettings.Rule r : settings.rules()) {
            for (String p : r.phrases()) {
                ids.putIfAbsent(p, ids.size());
            }
        }
        return new Classifier(RuleMatcher.compile(settings.rules(), ids), new PhraseScanner(List.copyOf(ids.keySet())),
                settings.fallback());
    }

    /** Classifies reply text ({@code "550 5.1.1 <a@example.com>: user unknown"}) that answered {@code command}. */
    public Classification classify(String replyText, String command) {
        return classify(Reply.parse(replyText, command));
    }

    public Classification classify(Reply reply) {
        int[] status = parseStatus(reply.status());
        ScannedText text = new ScannedText(scanner.scan(reply.text()), reply.text());
        int replyClass = reply.replyClass();
        for (RuleMatcher m : rules) {
            if (m.matches(reply, status, text)) {
                boolean hard = m.rule.hard() != null ? m.rule.hard() : m.rule.reason().isHard(replyClass);
                return new Classification(m.rule.reason(), hard, m.rule.name());
            }
        }
        if (text.isBlank() && reply.code() == 0 && status == null) {
            return new Classification(BounceReason.UNDEFINED, false, FALLBACK);
        }
        return new Classification(fallback, fallback.isHard(replyClass), FALLBACK);
    }

    /** Lower case, each run of white space one space, trimmed. */
    static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else {
                out.append(c);
                space = false;
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') {
            out.setLength(end - 1);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static int[] parseStatus(String status) {
        if (status.isEmpty()) {
            return null;
        }
        String[] p = status.split("\\.");
        if (p.length != 3) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
