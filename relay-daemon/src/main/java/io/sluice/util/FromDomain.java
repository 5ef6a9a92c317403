package io.sluice.util;

import java.util.Locale;

/**
 * The domain of a message's header From (RFC 5322 3.6.2), for the suppression list's {@code from-domain} scope: the
 * first mailbox's domain, whether written {@code Name <user@example.com>}, {@code user@example.com (Name)} or in a
 * group; lower case, an international domain as A-labels. "" when there is none a domain name could be read from
 * (no {@code @}, an address literal, bad syntax, longer than 255). Pure; thread-safe.
 */
public final class FromDomain {
    private static final int MAX = 255;

    private FromDomain() {
    }

    /** @param value the field's value (after the colon), unfolded or not */
    public static String of(String value) {
        String address = firstAddress(value);
        int at = address.lastIndexOf('@');
        if (at < 1) {
            return "";
        }
        String domain = address.substring(at + 1).strip();
        if (domain.isEmpty() || domain.length() > MAX || domain.startsWith("[")) {
            return "";
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c <= ' ' || c == '"' || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')'
                    || c == '@' || c == '\\' || c == 0x7f) {
                return "";
            }
        }
        String ascii = IdnDomain.toAscii(domain);
        return ascii == null ? "" : ascii.toLowerCase(Locale.ROOT);
    }

    /** The first angle-addr's contents, else the first word with an {@code @} outside comments and quotes. */
    private static String firstAddress(String value) {
        StringBuilder word = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (depth > 0) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '\\') {
                    i++;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(' -> depth++;
                case '<' -> {
                    int close = value.indexOf('>', i);
                    return close < 0 ? "" : value.substring(i + 1, close);
                }
                case ',', ';', ' ', '\t', '\r', '\n', ':' -> {
                    if (word.indexOf("@") > 0) {
                        return word.toString();
                    }
                    word.setLength(0);
                }
                default -> word.append(c);
            }
        }
        return word.toString();
    }
}
