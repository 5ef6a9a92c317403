package io.sluice.config;

import io.sluice.config.BounceRuleSettings.Rule;
import io.sluice.model.BounceReason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a bounce rules document (conf/bounce-rules.yaml, or an operator's {@code bounces.rules_overrides}) into
 * rules; the key reference is the shipped file and docs/BOUNCES.md.
 *
 * <p>Top level: {@code rules} (a list, tried in order; each has {@code name}, {@code reason}, optional
 * {@code hard}, and conditions {@code text} (phrases), {@code regex}, {@code status}, {@code code},
 * {@code command}, {@code not_command}, {@code action}) and {@code fallback} (the reason when none matches). Every
 * problem goes to the shared {@link ConfigErrors} with the file and line it was written at. Single-threaded,
 * stateless.
 */
final class BounceRulesReader {

    /** SMTP commands a rule may name; {@code NONE} = the command is not known. */
    static final Set<String> COMMANDS = Set.of("CONNECT", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA",
            "BDAT", "QUIT", "NONE");
    private static final Set<String> ACTIONS = Set.of("failed", "delayed", "delivered", "relayed", "expanded");
    private static final Pattern STATUS = Pattern.compile("[245*]\\.(\\d{1,3}|\\*)\\.(\\d{1,3}|\\*)");
    private static final Pattern CODE = Pattern.compile("[245](\\d\\d|\\dx|xx)");
    private static final int MAX_PHRASE = 500;

    /** What one document holds. */
    record Contents(List<Rule> rules, BounceReason fallback) {
    }

    private BounceRulesReader() {
    }

    static Contents read(Node document, ConfigErrors errors) {
        YamlMapping doc = YamlMapping.root(document, errors);
        BounceReason fallback = doc.read("fallback", null, BounceRulesReader::reason);
        List<Rule> rules = new ArrayList<>();
        List<YamlMapping> list = doc.mappingList("rules");
        Set<String> names = new HashSet<>();
        if (list != null) {
            for (YamlMapping m : list) {
                Rule r = rule(m);
                if (r != null && !names.add(r.name())) {
                    m.error("name", "another rule of this file is named " + r.name());
                } else if (r != null) {
                    rules.add(r);
                }
            }
        }
        doc.finish();
        return new Contents(rules, fallback);
    }

    private static Rule rule(YamlMapping m) {
        String name = m.string("name", null);
        if (name == null && !m.failed("name")) {
            m.error("name", "every rule needs a name");
        }
        BounceReason reason = m.read("reason", null, BounceRulesReader::reason);
        if (reason == null && !m.failed("reason")) {
            m.error("reason", "every rule needs a reason");
        }
        Boolean hard = m.isPresent("hard") ? m.bool("hard", false) : null;
        List<String> phrases = items(m, "text", BounceRulesReader::phrase);
        String regex = m.read("regex", null, BounceRulesReader::regex);
        List<String> statuses = items(m, "status", raw -> matching(raw, STATUS, "an enhanced status such as 5.1.1,"
                + " *.2.2 or 5.7.*"));
        List<String> codes = items(m, "code", raw -> matching(raw.toLowerCase(Locale.ROOT), CODE,
                "a reply code such as 550, 55x or 5xx"));
        Set<String> commands = new LinkedHashSet<>(items(m, "command", BounceRulesReader::command));
        Set<String> notCommands = new LinkedHashSet<>(items(m, "not_command", BounceRulesReader::command));
        Set<String> actions = new LinkedHashSet<>(items(m, "action", raw -> oneOf(raw.toLowerCase(Locale.ROOT),
                ACTIONS, "a DSN action")));
        String where = m.where("name");
        m.finish();
        if (name == null || reason == null) {
            return null;
        }
        return new Rule(name, reason, hard, phrases, regex, statuses, codes, commands, notCommands, actions,
                where);
    }

    /** A list key that may also be written as one value. */
    private static List<String> items(YamlMapping m, String key, java.util.function.Function<String, String> parse) {
        List<String> out = new ArrayList<>();
        if (!m.isPresent(key)) {
            return out;
        }
        if (m.isScalar(key)) {
            String one = m.read(key, null, parse);
            if (one != null) {
                out.add(one);
            }
            return out;
        }
        List<YamlMapping.Item> list = m.scalarList(key);
        if (list == null) {
            return out;
        }
        for (YamlMapping.Item item : list) {
            try {
                out.add(parse.apply(item.text()));
            } catch (IllegalArgumentException e) {
                m.error(item, e.getMessage());
            }
        }
        return out;
    }

    static BounceReason reason(String raw) {
        BounceReason r = BounceReason.byName(raw);
        if (r == null || r == BounceReason.SUPPRESSED) {
            throw new IllegalArgumentException("unknown reason " + raw + " (one of "
                    + String.join(", ", java.util.Arrays.stream(BounceReason.values())
                    .filter(x -> x != BounceReason.SUPPRESSED).map(BounceReason::label).toList()) + ")");
        }
        return r;
    }

    /** A phrase as the classifier compares it: lower case, runs of white space as one space. */
    static String phrase(String raw) {
        String p = raw.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (p.isEmpty() || p.length() > MAX_PHRASE) {
            throw new IllegalArgumentException("a phrase must have 1 to " + MAX_PHRASE + " characters");
        }
        return p;
    }

    private static String regex(String raw) {
        try {
            Pattern.compile(raw);
            return raw;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
    }

    private static String command(String raw) {
        return oneOf(raw.toUpperCase(Locale.ROOT), COMMANDS, "an SMTP command");
    }

    private static String oneOf(String value, Set<String> allowed, String what) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(value + " is not " + what + " (one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        return value;
    }

    private static String matching(String raw, Pattern p, String what) {
        if (!p.matcher(raw).matches()) {
            throw new IllegalArgumentException(raw + " is not " + what);
        }
        return raw;
    }
}
