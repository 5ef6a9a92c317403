package io.sluice.smtp.server;

import java.util.Locale;

/**
 * Parses the argument of MAIL FROM and RCPT TO (RFC 5321 4.1.2, RFC 1870 SIZE, RFC 6152 BODY, RFC 6531 SMTPUTF8).
 *
 * <p>Input: the argument text after the verb, e.g. {@code FROM:<a@b.example> SIZE=1000 BODY=8BITMIME}.
 * Output: a {@link MailPath} holding the address (empty for the null path {@code <>}) and the recognised parameters,
 * or an error reply. The address checks are deliberately structural (angle brackets, one {@code @}, a domain with
 * no spaces or control characters, local part up to 64 octets, domain up to 255, path up to 256): content
 * filtering is not the ingress parser's job. Source routes ({@code <@relay:user@host>}) are accepted and dropped as
 * RFC 5321 C requires. Pure and thread-safe.
 */
public final class MailPath {
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_PATH = 256;

    private final String address;
    private final long size;
    private final boolean smtpUtf8;
    private final boolean eightBitMime;
    private final String error;

    private MailPath(String address, long size, boolean smtpUtf8, boolean eightBitMime, String error) {
        this.address = address;
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
        String rest = argument.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return failure(syntax);
        }
        int close = rest.indexOf('>');
        if (close < 0) {
            return failure(syntax);
        }
        String path = rest.substring(1, close);
        if (path.length() > MAX_PATH) {
            return failure("501 5.1.3 Error: address too long");
        }
        String address = stripSourceRoute(path);
        if (address.isEmpty()) {
            if (!mail) {
                return failure("501 5.1.3 Error: empty recipient address");
            }
        } else {
            String problem = addressProblem(address, !mail);
            if (problem != null) {
                return failure(problem);
            }
        }
        long size = -1;
        boolean utf8 = false;
        boolean eightBit = false;
        String params = rest.substring(close + 1).strip();
        if (!params.isEmpty()) {
            for (String param : params.split(" +")) {
                String upper = param.toUpperCase(Locale.ROOT);
                if (mail && upper.startsWith("SIZE=")) {
                    size = parseSize(param.substring(5));
                    if (size < 0) {
                        return failure("501 5.5.4 Error: bad SIZE parameter");
                    }
                } else if (mail && upper.equals("BODY=8BITMIME")) {
                    eightBit = true;
                } else if (mail && upper.equals("BODY=7BIT")) {
                    eightBit = false;
                } else if (mail && upper.equals("SMTPUTF8")) {
                    utf8 = true;
                } else if (mail && upper.startsWith("AUTH=")) {
                    // RFC 4954 5: accepted and ignored; we never trust a client's claimed original submitter.
                    continue;
                } else {
                    return failure("555 5.5.4 Unsupported option: " + sanitize(param));
                }
            }
        }
        return new MailPath(address, size, utf8, eightBit, null);
    }

    private static String stripSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            return colon < 0 ? path : path.substring(colon + 1);
        }
        return path;
    }

    private static String addressProblem(String address, boolean recipient) {
        if (recipient && address.equalsIgnoreCase("postmaster")) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "501 5.1." + (recipient ? "3" : "7") + " Error: bad address syntax";
        }
        if (at > MAX_LOCAL_PART) {
            return "501 5.1." + (recipient ? "3" : "7") + " Error: local part too long";
        }
        String domain = address.substring(at + 1);
        if (domain.length() > MAX_DOMAIN) {
            return "501 5.1." + (recipient ? "3" : "7") + " Error: domain too long";
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || (i > at && (c == '@' || c == ','))) {
                return "501 5.1." + (recipient ? "3" : "7") + " Error: bad address syntax";
            }
        }
        return null;
    }

    private static long parseSize(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String sanitize(String param) {
        String shown = param.length() > 40 ? param.substring(0, 40) : param;
        return shown.replaceAll("[^\\x21-\\x7e]", "?");
    }

    private static MailPath failure(String reply) {
        return new MailPath(null, -1, false, false, reply);
    }

    /** The reply to send instead of accepting, or null when the argument is good. */
    public String error() {
        return error;
    }

    /** The address without angle brackets; empty for the null sender. */
    public String address() {
        return address;
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
