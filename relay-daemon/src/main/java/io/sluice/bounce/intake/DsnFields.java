package io.sluice.bounce.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The field groups of an RFC 3464 message/delivery-status (or RFC 5965 message/feedback-report) body: groups are
 * separated by blank lines, a field is {@code Name: value}, and a line that starts with white space continues the
 * field before it (so does a line that is not a field at all: MTAs that fold without indenting). Names are
 * lower-cased; a field repeated in a group (ARF's Original-Rcpt-To) keeps every value, one per line. Lenient about
 * stray lines; linear in the body's length.
 */
final class DsnFields {

    /** Fields that appear once per recipient: seeing one again starts the next recipient's group. */
    private static final java.util.Set<String> STARTS_RECIPIENT = java.util.Set.of("final-recipient",
            "original-recipient", "action");

    /** Field names are short; a longer run before a colon is text, not a field. */
    private static final int MAX_NAME = 64;

    private DsnFields() {
    }

    static List<Map<String, String>> groups(String body) {
        List<Map<String, StringBuilder>> built = new ArrayList<>();
        Map<String, StringBuilder> group = new LinkedHashMap<>();
        StringBuilder field = null; // the value lines continue (a builder: a long fold stays linear)
        for (String line : body.split("\r?\n|\r")) {
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    built.add(group);
                    group = new LinkedHashMap<>();
                }
                field = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && field != null) {
                field.append(' ').append(line.trim());
            } else {
                int colon = line.indexOf(':');
                if (colon > 0 && colon < MAX_NAME && line.substring(0, colon).matches("[A-Za-z0-9-]+")) {
                    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                    if (STARTS_RECIPIENT.contains(name) && group.containsKey(name)) {
                        built.add(group); // recipients not separated by a blank line (some MTAs)
                        group = new LinkedHashMap<>();
                    }
                    String value = line.substring(colon + 1).trim();
                    field = group.get(name);
                    if (field == null) {
                        field = new StringBuilder(value);
                        group.put(name, field);
                    } else {
                        field.append('\n').append(value); // repeated: one value per line
                    }
                } else if (field != null) {
                    field.append(' ').append(line.trim()); // a fold that lost its indent
                }
            }
        }
        if (!group.isEmpty()) {
            built.add(group);
        }
        List<Map<String, String>> out = new ArrayList<>(built.size());
        for (Map<String, StringBuilder> g : built) {
            Map<String, String> m = new LinkedHashMap<>();
            g.forEach((k, v) -> m.put(k, v.toString()));
            out.add(m);
        }
        return out;
    }

    /** The value after an RFC 3464 type prefix ({@code rfc822; a@b} → {@code a@b}, {@code smtp; 550 ...}). */
    static String typed(String value) {
        if (value == null) {
            return "";
        }
        int semi = value.indexOf(';');
        return (semi >= 0 && semi < 20 ? value.substring(semi + 1) : value).trim();
    }
}
