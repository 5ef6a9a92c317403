package io.sluice.smtp.server;

import io.sluice.util.MailboxSyntax;

/**
 * Parses the argument of MAIL FROM and RCPT TO (RFC 5321 4.1.2, RFC 1870 SIZE, RFC 6152 BODY, RFC 6531 SMTPUTF8).
 *
 * <p>Input: the argument text after the verb, e.g. {@code FROM:<a@b.example> SIZE=1000 BODY=8BITMIME}, decoded
 * from octets the caller has checked to be well-formed UTF-8 ({@code CommandLine#argumentIsWellFormedUtf8}), and
 * non-ASCII only with SMTPUTF8 (also the caller's check). Output: a {@link MailPath} holding the address (empty for
 * the null path {@code <>}), where its domain starts, and the recognised parameters, or an error reply.
 *
 * <p>The mailbox grammar is exact ({@link MailboxSyntax}); what it refuses gets {@code 553 5.1.3 Bad recipient
 * address syntax} or {@code 553 5.1.7 Bad sender address syntax} with the reason (the codes Postfix uses for the
 * same case, with 553 "mailbox name not allowed" as the reply code); a malformed command (no angle brackets, no
 * space before a parameter) gets {@code 501 5.5.4}. A bare {@code <postmaster>} (any case) is a valid recipient
 * (RFC 5321 4.5.1); the caller routes it. Source routes ({@code <@relay,@relay2:user@host>}) are checked and dropped
 * as RFC 5321 C requires. Limits: path 256 octets with its brackets, local part 64, domain 255 (RFC 5321 4.5.3.1).
 * No regular expression: this runs per command on the event loop. Pure and thread-safe.
 */
public final class MailPath {
    private static final int MAX_PATH = 256;
    private static final String POSTMASTER = "postmaster";

    private final String address;
    /** Index of the first character of the domain in {@link #address}; -1 for {@code <>} and bare postmaster. */
    private final int domainStart;
    private final long size;
    private final boolean smtpUtf8;
    private final boolean eightBitMime;
    private final String error;

    private MailPath(String address, int domainStart, long size, boolean smtpUtf8, boolean eightBitMime,
                     String error) {
        this.address = address;
        this.domainStart = domainStart;
        this.size = size;
        this.smtpUtf8 = smtpUtf8;
        this.eightBitMime = eightBitMime;
        this.error = error;
    }

    /** Parses {@code FROM:<path> params}. */
    public static MailPath parseMailFrom(String argument) {
        return parse(argument, "FROM:", true);
    }

    /** Parses {@code TO:<path> params}. */
    public static MailPath parseRcptTo(String argument) {
        return parse(argument, "TO:", false);
    }

    private static MailPath parse(String argument, String keyword, boolean mail) {
        String syntax = mail ? "501 5.5.4 Syntax: MAIL FROM:<address>" : "501 5.5.4 Syntax: RCPT TO:<address>";
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return failure(syntax);
        }
        int open = keyword.length();
        while (open < argument.length() && argument.charAt(open) == ' ') {
            open++; // not in RFC 5321, but common ("MAIL FROM: <a@b>") and harmless
        }
        if (open >= argument.length() || argument.charAt(open) != '<') {
            return failure(syntax);
        }
        int close = MailboxSyntax.pathEnd(argument, open + 1);
        if (close < 0) {
            return failure(syntax);
        }
        int paramsStart = close + 1;
        if (paramsStart < argument.length() && argument.charAt(paramsStart) != ' ') {
            return failure(syntax);
        }
        String bad = mail ? "553 5.1.7 Bad sender address syntax: " : "553 5.1.3 Bad recipient address syntax: ";
        if (MailboxSyntax.utf8Length(argument, open, close + 1) > MAX_PATH) {
            return failure(bad + "path longer than 256 octets");
        }
        int from = open + 1;
        if (from < close && argument.charAt(from) == '@') {
            int colon = sourceRouteEnd(argument, from, close);
            if (colon < 0) {
                return failure(bad + "bad source route");
            }
            from = colon + 1;
        }
        String address;
        int domainStart;
        if (from == close) {
            if (!mail) {
                return failure("553 5.1.3 Bad recipient address syntax: empty address");
            }
            address = "";
            domainStart = -1;
        } else if (!mail && close - from == POSTMASTER.length()
                && argument.regionMatches(true, from, POSTMASTER, 0, POSTMASTER.length())) {
            address = argument.substring(from, close);
            domainStart = -1;
        } else {
            String problem = MailboxSyntax.mailboxProblem(argument, from, close);
            if (problem != null) {
                return failure(bad + problem);
            }
            address = argument.substring(from, close);
            domainStart = MailboxSyntax.atSign(argument, from, close) + 1 - from;
        }
        return parameters(argument, paramsStart, mail, address, domainStart);
    }

    /** The index of the {@code :} ending a valid {@code A-d-l} that starts at {@code from}, else -1. */
    private static int sourceRouteEnd(String s, int from, int close) {
        int i = from;
        while (i < close && s.charAt(i) == '@') {
            int end = i + 1;
            while (end < close && s.charAt(end) != ',' && s.charAt(end) != ':') {
                end++;
            }
            if (end == close || MailboxSyntax.domainProblem(s, i + 1, end) != null) {
                return -1;
            }
            if (s.charAt(end) == ':') {
                return end;
            }
            i = end + 1;
        }
        return -1;
    }

    private static MailPath parameters(String argument, int from, boolean mail, String address, int domainStart) {
        long size = -1;
        boolean utf8 = false;
        boolean eightBit = false;
        int i = from;
        int end = argument.length();
        while (i < end) {
            if (argument.charAt(i) == ' ') {
                i++;
                continue;
            }
            int stop = argument.indexOf(' ', i);
            stop = stop < 0 ? end : stop;
            if (mail && startsWith(argument, i, stop, "SIZE=")) {
                size = parseSize(argument, i + 5, stop);
                if (size < 0) {
                    return failure("501 5.5.4 Error: bad SIZE parameter");
                }
            } else if (mail && equals(argument, i, stop, "BODY=8BITMIME")) {
                eightBit = true;
            } else if (mail && equals(argument, i, stop, "BODY=7BIT")) {
                eightBit = false;
            } else if (mail && equals(argument, i, stop, "SMTPUTF8")) {
                utf8 = true;
            } else if (!(mail && startsWith(argument, i, stop, "AUTH="))) {
                // AUTH= (RFC 4954 5) is accepted and ignored: we never trust a client's claimed original submitter.
                return failure("555 5.5.4 Unsupported option: " + sanitize(argument.substring(i, stop)));
            }
            i = stop;
        }
        return new MailPath(address, domainStart, size, utf8, eightBit, null);
    }

    private static boolean startsWith(String s, int from, int to, String upperPrefix) {
        return to - from >= upperPrefix.length() && s.regionMatches(true, from, upperPrefix, 0, upperPrefix.length());
    }

    private static boolean equals(String s, int from, int to, String upper) {
        return to - from == upper.length() && s.regionMatches(true, from, upper, 0, upper.length());
    }

    private static long parseSize(String s, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String sanitize(String param) {
        StringBuilder shown = new StringBuilder(Math.min(param.length(), 40));
        for (int i = 0; i < param.length() && i < 40; i++) {
            char c = param.charAt(i);
            shown.append(c > ' ' && c < 0x7f ? c : '?');
        }
        return shown.toString();
    }

    private static MailPath failure(String reply) {
        return new MailPath(null, -1, -1, false, false, reply);
    }

    /** The reply to send instead of accepting, or null when the argument is good. */
    public String error() {
        return error;
    }

    /** The address without angle brackets; empty for the null sender. */
    public String address() {
        return address;
    }

    /** The domain (a name or an address literal); null for the null sender and a bare postmaster. */
    public String domain() {
        return domainStart < 0 ? null : address.substring(domainStart);
    }

    /** The domain is an address literal such as {@code [192.0.2.1]}. */
    public boolean isAddressLiteral() {
        return domainStart >= 0 && address.charAt(domainStart) == '[';
    }

    /** A recipient {@code <postmaster>} without a domain (RFC 5321 4.5.1). */
    public boolean isBarePostmaster() {
        return domainStart < 0 && !address.isEmpty();
    }

    /** The SIZE parameter, or -1 when absent. */
    public long declaredSize() {
        return size;
    }

    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    public boolean eightBitMime() {
        return eightBitMime;
    }
}
