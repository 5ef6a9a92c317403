package io.sluice.delivery;

import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply as the next hop sent it (RFC 5321 4.2), or one that Sluice made up for a decision taken locally
 * ({@link #local}: SMTPUTF8 missing, SIZE exceeded, connection trouble).
 *
 * <p>{@link #enhancedStatus()} is the RFC 3463 code ({@code class.subject.detail}) at the start of the first text
 * line, accepted only when its class matches the reply's first digit (RFC 2034 4: a mismatching one is noise);
 * null when absent. {@link #lines()} are the text parts of each reply line (after {@code "250-"} / {@code "250 "}),
 * exactly as received, enhanced code included, decoded as UTF-8 (RFC 6531 allows it).
 *
 * <p>Immutable; safe to share between threads.
 */
public final class SmtpReply {
    private final int code;
    private final String enhancedStatus;
    private final List<String> lines;
    private final boolean local;

    private SmtpReply(int code, String enhancedStatus, List<String> lines, boolean local) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        this.code = code;
        this.enhancedStatus = enhancedStatus;
        this.lines = List.copyOf(lines);
        this.local = local;
    }

    /** A reply received from the next hop; the enhanced status is parsed from the first line. */
    public static SmtpReply of(int code, List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        return new SmtpReply(code, lines.isEmpty() ? null : parseEnhancedStatus(code, lines.get(0)), lines, false);
    }

    /** A reply Sluice made up; {@code enhancedStatus} like {@code "5.6.7"} (class must match the code). */
    public static SmtpReply local(int code, String enhancedStatus, String text) {
        String line = enhancedStatus + " " + text;
        if (!enhancedStatus.equals(parseEnhancedStatus(code, line))) {
            throw new IllegalArgumentException("bad enhanced status " + enhancedStatus + " for " + code);
        }
        return new SmtpReply(code, enhancedStatus, List.of(line), true);
    }

    public int code() {
        return code;
    }

    /** RFC 3463 status such as {@code "5.1.1"}, or null. */
    public String enhancedStatus() {
        return enhancedStatus;
    }

    /** The text of each reply line, in order; may be empty for a bare {@code "250"}. */
    public List<String> lines() {
        return lines;
    }

    /** True for replies Sluice made up instead of receiving them. */
    public boolean isLocal() {
        return local;
    }

    /** 2yz: the command was accepted. */
    public boolean isPositive() {
        return code < 300;
    }

    /** 3yz, e.g. 354 after DATA. */
    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    /** 4yz: try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 5yz: do not try again. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The lines joined by a space, for logs and events. */
    public String text() {
        return String.join(" ", lines);
    }

    /**
     * The RFC 3463 code at the start of {@code line} ({@code 2|4|5 "." 1*3digit "." 1*3digit}, then a space or the
     * end), or null when there is none or its class differs from the reply's first digit.
     */
    static String parseEnhancedStatus(int code, String line) {
        int n = line.length();
        if (n < 5 || line.charAt(0) != (char) ('0' + code / 100) || line.charAt(1) != '.') {
            return null;
        }
        int subjectEnd = digitsEnd(line, 2);
        if (subjectEnd < 0 || subjectEnd >= n || line.charAt(subjectEnd) != '.') {
            return null;
        }
        int detailEnd = digitsEnd(line, subjectEnd + 1);
        if (detailEnd < 0 || (detailEnd < n && line.charAt(detailEnd) != ' ')) {
            return null;
        }
        return line.substring(0, detailEnd);
    }

    /** End of a run of 1 to 3 ASCII digits starting at {@code from}, or -1. */
    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && i - from < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int count = i - from;
        return count >= 1 && count <= 3 ? i : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmtpReply r && r.code == code && r.local == local && r.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return code * 31 + lines.hashCode();
    }

    /** {@code "550 5.1.1 User unknown"}: code and the lines joined by a space. */
    @Override
    public String toString() {
        return lines.isEmpty() ? Integer.toString(code) : code + " " + text();
    }
}
