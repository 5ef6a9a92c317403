package io.sluice.bounce.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads one header field's value out of a stored message without parsing the rest: the first field of that name in
 * the header section (before the first empty line, and within the first {@value #MAX_SCAN} bytes), unfolded, white
 * space at both ends removed; "" when there is none. For the feedback index's Message-ID, read once per delivery
 * attempt on the body reader thread, so it allocates only the value. Absolute reads: the buffer's position is not
 * moved. Pure; thread-safe.
 */
final class HeaderField {
    static final int MAX_SCAN = 64 * 1024;

    private HeaderField() {
    }

    /** @param name the field name, lower case ASCII, e.g. {@code message-id} */
    static String first(ByteBuffer message, String name) {
        int start = message.position();
        int end = Math.min(message.limit(), start + MAX_SCAN);
        int line = start;
        while (line < end) {
            int eol = lineEnd(message, line, end);
            if (eol == line) {
                return ""; // the empty line: no such field
            }
            if (startsWithName(message, line, eol, name)) {
                StringBuilder value = new StringBuilder(text(message, line + name.length() + 1, eol));
                int next = skipEol(message, eol, end);
                while (next < end && (message.get(next) == ' ' || message.get(next) == '\t')) {
                    int contEnd = lineEnd(message, next, end);
                    value.append(' ').append(text(message, next, contEnd));
                    next = skipEol(message, contEnd, end);
                }
                return value.toString().strip();
            }
            line = skipEol(message, eol, end);
        }
        return "";
    }

    private static String text(ByteBuffer m, int from, int to) {
        byte[] bytes = new byte[to - from];
        m.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean startsWithName(ByteBuffer m, int from, int to, String name) {
        int n = name.length();
        if (to - from <= n || m.get(from + n) != ':') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = m.get(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the CR or LF ending the line at {@code from}, or {@code end}. */
    private static int lineEnd(ByteBuffer m, int from, int end) {
        int i = from;
        while (i < end && m.get(i) != '\r' && m.get(i) != '\n') {
            i++;
        }
        return i;
    }

    private static int skipEol(ByteBuffer m, int eol, int end) {
        if (eol < end && m.get(eol) == '\r') {
            eol++;
        }
        if (eol < end && m.get(eol) == '\n') {
            eol++;
        }
        return eol;
    }
}
