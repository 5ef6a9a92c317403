package io.sluice.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the metric names a PromQL expression reads, so tests can compare alerts and dashboards with the metrics
 * reference.
 *
 * <p>Contract: input is one PromQL expression (Grafana variables such as {@code $__rate_interval} or
 * {@code $instance} may appear inside {@code [...]} or {@code {...}}); output is the sorted set of bare identifiers
 * that name series: function names (followed by "("), keywords, label names in {@code by/without/on/ignoring}
 * clauses, label matchers, strings, durations and numbers are left out. Not a full parser: it relies on PromQL's
 * lexical structure (strings cannot contain unescaped quotes, matchers do not nest), which holds for valid
 * expressions; promtool checks validity separately. Stateless and thread-safe.
 */
final class PromQlNames {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_CLAUSE =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "inf", "nan", "Inf", "NaN", "atan2");

    private PromQlNames() {
    }

    /** The metric names {@code expr} selects. */
    static Set<String> of(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = LABEL_CLAUSE.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            if (KEYWORDS.contains(id) || precededByDigitOrDollar(s, m.start()) || followedByParen(s, m.end())) {
                continue;
            }
            names.add(id);
        }
        return names;
    }

    private static boolean precededByDigitOrDollar(String s, int start) {
        if (start == 0) {
            return false;
        }
        char c = s.charAt(start - 1);
        return Character.isDigit(c) || c == '.' || c == '$';
    }

    private static boolean followedByParen(String s, int end) {
        int i = end;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() && s.charAt(i) == '(';
    }
}
