package io.sluice.util;

/**
 * Makes an envelope address safe to write into a header field ({@code Received: ... for <...>}, a DSN's
 * {@code To:}, {@code Final-Recipient:}): any character that could end or fold the header line or hide in it (C0
 * and C1 controls, DEL, U+2028/U+2029 and other line or paragraph separators) becomes {@code ?}.
 *
 * <p>The ingress parser ({@code smtp.server.MailboxSyntax}) already refuses such addresses, so for mail received by
 * Sluice this changes nothing; it is a second line of defence for writers that must not trust their input (journals
 * written by an older version, tools). Allocation-free when the address is clean (it returns the same string).
 * Pure and thread-safe.
 */
public final class HeaderAddress {

    private HeaderAddress() {
    }

    /** {@code address} itself when it is safe, else a copy with every unsafe character replaced by {@code ?}. */
    public static String safe(String address) {
        for (int i = 0; i < address.length(); i++) {
            if (unsafe(address.charAt(i))) {
                StringBuilder sb = new StringBuilder(address.length());
                for (int k = 0; k < address.length(); k++) {
                    char c = address.charAt(k);
                    sb.append(unsafe(c) ? '?' : c);
                }
                return sb.toString();
            }
        }
        return address;
    }

    /** Appends {@link #safe(String) safe(address)} without building a string. */
    public static StringBuilder append(StringBuilder sb, String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            sb.append(unsafe(c) ? '?' : c);
        }
        return sb;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
