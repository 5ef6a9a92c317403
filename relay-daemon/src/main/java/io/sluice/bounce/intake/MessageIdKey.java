package io.sluice.bounce.intake;

import java.nio.charset.StandardCharsets;

/**
 * The form of a Message-ID the feedback index is keyed by: the text between the first {@code <} and the next
 * {@code >} (brackets kept), else the first word; "" when there is none. A report quotes the original's header,
 * sometimes refolded or with comments around it, so only the id itself is compared. Pure; thread-safe.
 */
final class MessageIdKey {
    private static final int MAX = 998;

    private MessageIdKey() {
    }

    static String normalise(String header) {
        if (header == null) {
            return "";
        }
        String s = header.strip();
        int open = s.indexOf('<');
        int close = open < 0 ? -1 : s.indexOf('>', open);
        if (close > open + 1) {
            s = s.substring(open, close + 1);
        } else {
            int space = 0;
            while (space < s.length() && !Character.isWhitespace(s.charAt(space))) {
                space++;
            }
            s = s.substring(0, space);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ' || s.charAt(i) == 0x7f) {
                return "";
            }
        }
        return s.length() > MAX ? "" : s;
    }

    /** FNV-1a, 64 bits, of the normalised id; even, so it never meets a VERP key (odd). */
    static long hash(String normalised) {
        long h = 0xcbf29ce484222325L;
        for (byte b : normalised.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (h << 1);
    }
}
