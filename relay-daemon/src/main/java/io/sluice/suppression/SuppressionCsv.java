package io.sluice.suppression;

import io.sluice.model.BounceReason;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV form of suppression entries, for {@code sluice suppress import|export|list} and the admin API:
 * {@code address,scope,scope_value,reason,source,added,expires} (RFC 4180 quoting; times ISO-8601 UTC, {@code expires}
 * empty for never). On input only {@code address} is required; a first line that starts with {@code address} is
 * the header; empty lines and lines starting with {@code #} are skipped; the others take the defaults the caller
 * gives. Every problem names its line. Stateless.
 */
public final class SuppressionCsv {
    public static final String HEADER = "address,scope,scope_value,reason,source,added,expires";
    /** Longest line accepted. */
    static final int MAX_LINE = 2048;

    /** Defaults for columns a line leaves out. */
    public record Defaults(SuppressionSource source, BounceReason reason, long timeMillis, long expiresMillis) {
    }

    private SuppressionCsv() {
    }

    /** One entry as a CSV line (no line break). */
    public static String line(SuppressionEntry e) {
        StringBuilder out = new StringBuilder(96);
        field(out, e.address()).append(',').append(e.scope().label()).append(',');
        field(out, e.scopeValue()).append(',').append(e.reason().label()).append(',').append(e.source().label());
        out.append(',').append(Instant.ofEpochMilli(e.timeMillis())).append(',');
        if (e.expiresMillis() != 0) {
            out.append(Instant.ofEpochMilli(e.expiresMillis()));
        }
        return out.toString();
    }

    /**
     * The entries of CSV {@code text}; throws {@link IllegalArgumentException} naming the first bad line (nothing is
     * returned then: an import is all or nothing).
     */
    public static List<SuppressionEntry> parse(String text, Defaults defaults) {
        List<SuppressionEntry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#") || (n == 0 && isHeader(line))) {
                continue;
            }
            try {
                out.add(entry(line, defaults));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A header line: its first field is exactly {@code address} (an address always has an {@code @}). */
    public static boolean isHeader(String line) {
        int comma = line.indexOf(',');
        return (comma < 0 ? line : line.substring(0, comma)).strip().equalsIgnoreCase("address");
    }

    private static SuppressionEntry entry(String line, Defaults d) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("longer than " + MAX_LINE + " characters");
        }
        List<String> f = split(line);
        if (f.size() > 7) {
            throw new IllegalArgumentException("more than 7 columns (" + HEADER + ")");
        }
        String address = f.get(0);
        SuppressionScope scope = SuppressionScope.GLOBAL;
        if (f.size() > 1 && !f.get(1).isEmpty()) {
            scope = SuppressionScope.byLabel(f.get(1));
            if (scope == null) {
                throw new IllegalArgumentException("unknown scope " + f.get(1)
                        + " (global, sender-domain, auth, from-domain)");
            }
        }
        String value = f.size() > 2 ? f.get(2) : "";
        BounceReason reason = d.reason();
        if (f.size() > 3 && !f.get(3).isEmpty()) {
            reason = BounceReason.byName(f.get(3));
            if (reason == null) {
                throw new IllegalArgumentException("unknown reason " + f.get(3));
            }
        }
        SuppressionSource source = d.source();
        if (f.size() > 4 && !f.get(4).isEmpty()) {
            source = SuppressionSource.byLabel(f.get(4));
            if (source == null) {
                throw new IllegalArgumentException("unknown source " + f.get(4));
            }
        }
        long added = f.size() > 5 && !f.get(5).isEmpty() ? instant(f.get(5)) : d.timeMillis();
        long expires = f.size() > 6 && !f.get(6).isEmpty() ? instant(f.get(6)) : d.expiresMillis();
        return new SuppressionEntry(address, scope, value, reason, source, added, expires);
    }

    private static long instant(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 time (2026-12-07T10:00:00Z): " + text);
        }
    }

    /** RFC 4180 fields: commas separate, double quotes enclose, a doubled quote is one. */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote");
        }
        out.add(cur.toString().strip());
        return out;
    }

    private static StringBuilder field(StringBuilder out, String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return out.append(value);
        }
        return out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
