package io.sluice.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the next hop advertised in its EHLO reply (RFC 5321 4.1.1.1): the first line is its name, each further line
 * an extension keyword with optional parameters. Only the extensions the client acts on get accessors; all
 * keywords stay available, upper-cased, in {@link #keywords()}.
 *
 * <p>After a HELO fallback ({@link #helo()}) nothing is advertised: no PIPELINING, no STARTTLS, no 8BITMIME.
 * {@link #maxSize()} is the RFC 1870 SIZE limit in bytes, 0 when SIZE is advertised without a (positive) limit or
 * not at all; {@link #size()} tells the two apart (SIZE= is sent in MAIL only when advertised).
 *
 * <p>Immutable.
 */
public final class EhloCapabilities {
    private static final EhloCapabilities HELO = new EhloCapabilities(false, List.of(), false, 0, List.of());

    private final boolean esmtp;
    private final List<String> keywords;
    private final boolean size;
    private final long maxSize;
    private final List<String> authMechanisms;

    private EhloCapabilities(boolean esmtp, List<String> keywords, boolean size, long maxSize,
                             List<String> authMechanisms) {
        this.authMechanisms = List.copyOf(authMechanisms);
        this.esmtp = esmtp;
        this.keywords = List.copyOf(keywords);
        this.size = size;
        this.maxSize = maxSize;
    }

    /** Parses a positive EHLO reply; lines after the first are keywords. */
    public static EhloCapabilities parse(SmtpReply ehloReply) {
        List<String> keywords = new ArrayList<>();
        boolean size = false;
        long maxSize = 0;
        List<String> auth = new ArrayList<>(2);
        List<String> lines = ehloReply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            keywords.add(keyword);
            if (keyword.equals("SIZE")) {
                size = true;
                maxSize = space < 0 ? 0 : parseSize(line.substring(space + 1).trim());
            } else if (keyword.equals("AUTH") && space > 0) {
                for (String mechanism : line.substring(space + 1).trim().split("\\s+")) {
                    if (!mechanism.isEmpty()) {
                        auth.add(mechanism.toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return new EhloCapabilities(true, keywords, size, maxSize, auth);
    }

    /** The capabilities of a session opened with HELO: none. */
    public static EhloCapabilities helo() {
        return HELO;
    }

    private static long parseSize(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** False after a HELO fallback. */
    public boolean esmtp() {
        return esmtp;
    }

    /** Extension keywords, upper case, in the order advertised. */
    public List<String> keywords() {
        return keywords;
    }

    public boolean has(String keyword) {
        return keywords.contains(keyword.toUpperCase(Locale.ROOT));
    }

    /** RFC 2920. */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** The SASL mechanisms of the {@code AUTH} keyword (RFC 4954), upper case; empty when none is offered. */
    public List<String> authMechanisms() {
        return authMechanisms;
    }

    public boolean startTls() {
        return has("STARTTLS");
    }

    /** RFC 6152. */
    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    /** RFC 6531. */
    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /** RFC 1870 SIZE advertised (with or without a limit). */
    public boolean size() {
        return size;
    }

    /** RFC 1870 limit in bytes; 0 when none is declared. */
    public long maxSize() {
        return maxSize;
    }

    @Override
    public String toString() {
        return esmtp ? "ESMTP " + keywords : "HELO";
    }
}
