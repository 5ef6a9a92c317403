package io.sluice.util;


/**
 * The RFC 5321 4.1.2 grammar of a path's parts, extended by RFC 6531 3.3 for SMTPUTF8: {@code Mailbox = Local-part
 * "@" ( Domain / address-literal )}, {@code Local-part = Dot-string / Quoted-string}, {@code Domain = sub-domain
 * *("." sub-domain)}, and the source route {@code A-d-l} that {@link MailPath} drops.
 *
 * <p>Trust: this is the boundary between a client's bytes and every address Sluice stores, writes into headers
 * ({@code Received: ... for <...>}, DSN {@code To:}) and sends to the next hop, so it is exact rather than lenient:
 * <ul>
 *   <li>Dot-string: atoms of {@code atext} separated by single dots; {@code @ , ( ) ; : < > [ ] \ "} and spaces
 *       appear only inside a Quoted-string.</li>
 *   <li>Quoted-string: {@code qtextSMTP} and {@code quoted-pairSMTP} (a backslash before a printable ASCII
 *       character). On purpose stricter than RFC 5321: {@code <} and {@code >} are refused even quoted, so that no
 *       downstream parser that looks for the first {@code >} can be confused (Postfix's {@code
 *       strict_rfc821_envelopes} is stricter still).</li>
 *   <li>Non-ASCII (UTF-8, only with SMTPUTF8: the caller checks that and that the octets were well-formed UTF-8)
 *       may appear where RFC 6531 allows it, but never a control (C0, DEL, C1 including U+0085), a Unicode line,
 *       paragraph or space separator (U+2028, U+2029, U+00A0, U+3000, ...), a format character other than ZWNJ/ZWJ
 *       (e.g. bidi overrides), a private-use, unassigned or surrogate code point, or a noncharacter.</li>
 *   <li>Domain: ASCII labels are letters, digits and inner hyphens; a label with non-ASCII is a U-label candidate
 *       (its IDNA validity is checked by the caller); labels of 1..63 octets, no trailing dot. An address literal
 *       is {@code [IPv4]} or {@code [IPv6:...]}; general address literals ({@code [tag:...]}) are refused.</li>
 *   <li>Lengths in octets of UTF-8 (RFC 5321 4.5.3.1): local part 64, domain 255.</li>
 * </ul>
 * Each check returns null when the text is good, else a short reason for the reply (never the client's text).
 * Used by {@code smtp.server.MailPath} for every MAIL and RCPT, and by the config loader for configured addresses.
 * Pure, allocation-free on success (an address literal is parsed once), thread-safe.
 */
public final class MailboxSyntax {
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 255;
    private static final int MAX_LABEL = 63;

    private MailboxSyntax() {
    }

    /**
     * The index of the {@code >} closing a path whose text starts at {@code from} (just after {@code <}); a
     * {@code >} inside a Quoted-string does not close it. -1 when there is none.
     */
    public static int pathEnd(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                return i;
            }
        }
        return -1;
    }

    /** Problem of the mailbox {@code s[from, to)}, or null. */
    public static String mailboxProblem(String s, int from, int to) {
        int at = atSign(s, from, to);
        if (at < 0) {
            return "no @domain";
        }
        String local = localPartProblem(s, from, at);
        if (local != null) {
            return local;
        }
        return domainOrLiteralProblem(s, at + 1, to);
    }

    /**
     * The index of the {@code @} that ends the local part of {@code s[from, to)}: the first one after a
     * Quoted-string, else the first one. -1 when there is none.
     */
    public static int atSign(String s, int from, int to) {
        int i = from;
        if (i < to && s.charAt(i) == '"') {
            i++;
            while (i < to && s.charAt(i) != '"') {
                i += s.charAt(i) == '\\' ? 2 : 1;
            }
            i++;
        }
        for (; i < to; i++) {
            if (s.charAt(i) == '@') {
                return i;
            }
        }
        return -1;
    }

    public static String localPartProblem(String s, int from, int to) {
        if (from == to) {
            return "empty local part";
        }
        if (utf8Length(s, from, to) > MAX_LOCAL_PART) {
            return "local part longer than 64 octets";
        }
        if (s.charAt(from) == '"') {
            return quotedStringProblem(s, from, to);
        }
        boolean atomStart = true;
        for (int i = from; i < to; i++) {
            int c = s.codePointAt(i);
            if (c == '.') {
                if (atomStart) {
                    return "empty atom in local part (leading, trailing or double dot)";
                }
                atomStart = true;
                continue;
            }
            if (c < 0x80 ? !isAtext(c) : !isAllowedNonAscii(c)) {
                return c < 0x80 ? "character not allowed in an unquoted local part" : "character not allowed";
            }
            atomStart = false;
            if (c > 0xffff) {
                i++;
            }
        }
        return atomStart ? "empty atom in local part (leading, trailing or double dot)" : null;
    }

    private static String quotedStringProblem(String s, int from, int to) {
        if (to - from < 2 || s.charAt(to - 1) != '"') {
            return "unterminated quoted local part";
        }
        for (int i = from + 1; i < to - 1; i++) {
            int c = s.codePointAt(i);
            if (c == '\\') {
                if (i + 1 >= to - 1) {
                    return "backslash at the end of a quoted local part";
                }
                char next = s.charAt(++i);
                if (next < 0x20 || next > 0x7e || next == '<' || next == '>') {
                    return "character not allowed in a quoted local part";
                }
            } else if (c == '"') {
                return "quote inside a quoted local part";
            } else if (c < 0x80 ? (c < 0x20 || c == 0x7f || c == '<' || c == '>') : !isAllowedNonAscii(c)) {
                return "character not allowed in a quoted local part";
            } else if (c > 0xffff) {
                i++;
            }
        }
        return null;
    }

    /** Problem of a Domain or address literal {@code s[from, to)}, or null. */
    public static String domainOrLiteralProblem(String s, int from, int to) {
        if (from < to && s.charAt(from) == '[') {
            return addressLiteralProblem(s, from, to);
        }
        return domainProblem(s, from, to);
    }

    /** Problem of a Domain (no address literal) {@code s[from, to)}, or null. */
    public static String domainProblem(String s, int from, int to) {
        if (from == to) {
            return "empty domain";
        }
        if (utf8Length(s, from, to) > MAX_DOMAIN) {
            return "domain longer than 255 octets";
        }
        int labelStart = from;
        boolean nonAscii = false;
        for (int i = from; i <= to; i++) {
            int c = i == to ? '.' : s.codePointAt(i);
            if (c == '.') {
                String label = labelProblem(s, labelStart, i, nonAscii);
                if (label != null) {
                    return label;
                }
                labelStart = i + 1;
                nonAscii = false;
            } else if (c >= 0x80) {
                if (!isAllowedNonAscii(c)) {
                    return "character not allowed in a domain";
                }
                nonAscii = true;
                if (c > 0xffff) {
                    i++;
                }
            } else if (!isLetterOrDigit(c) && c != '-') {
                return "character not allowed in a domain";
            }
        }
        return null;
    }

    private static String labelProblem(String s, int from, int to, boolean nonAscii) {
        if (from == to) {
            return "empty label in domain";
        }
        if (utf8Length(s, from, to) > MAX_LABEL) {
            return "domain label longer than 63 octets";
        }
        if (s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return "domain label starts or ends with a hyphen";
        }
        return null; // a U-label (nonAscii) is checked by the IDNA conversion
    }

    private static String addressLiteralProblem(String s, int from, int to) {
        if (to - from < 3 || s.charAt(to - 1) != ']') {
            return "unterminated address literal";
        }
        String inner = s.substring(from + 1, to - 1);
        boolean v6 = inner.regionMatches(true, 0, "IPv6:", 0, 5);
        String ip = v6 ? inner.substring(5) : inner;
        if (!v6 && ip.indexOf(':') >= 0) {
            return "unsupported address literal (only [IPv4] and [IPv6:...])";
        }
        if (v6 && ip.indexOf(':') < 0 || !IpLiteral.isLiteral(ip)) {
            return "bad address literal";
        }
        return null;
    }

    /** RFC 5322 atext: ALPHA / DIGIT and {@code ! # $ % & ' * + - / = ? ^ _ ` { | } ~}. */
    public static boolean isAtext(int c) {
        if (isLetterOrDigit(c)) {
            return true;
        }
        switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~':
                return true;
            default:
                return false;
        }
    }

    private static boolean isLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A non-ASCII code point that may stand in an address (see the class comment for what may not). */
    public static boolean isAllowedNonAscii(int c) {
        if ((c & 0xfffe) == 0xfffe || (c >= 0xfdd0 && c <= 0xfdef)) {
            return false; // noncharacters
        }
        switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED:
                return false;
            case Character.FORMAT:
                return c == 0x200c || c == 0x200d; // ZWNJ and ZWJ are needed in some scripts; bidi overrides are not
            default:
                return true;
        }
    }

    /** Octets of {@code s[from, to)} in UTF-8, without encoding it. */
    public static int utf8Length(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
