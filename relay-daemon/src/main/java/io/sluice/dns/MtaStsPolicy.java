package io.sluice.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One domain's MTA-STS policy (RFC 8461 3.2), as fetched from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * and cached: its mode, the MX host patterns it allows, how long it may be cached, and the {@code id} of the TXT
 * record it was fetched under (a new id means a new policy to fetch).
 *
 * <p>{@link #parse}: lines {@code key: value} ended by LF or CRLF; {@code version: STSv1}, {@code mode} (enforce,
 * testing, none), {@code max_age} (0 to 31557600 seconds) required; {@code mx} at least once unless the mode is
 * none; other keys ignored, as the RFC asks. {@link #allows}: an MX host name equals a pattern, or a pattern
 * {@code *.example.net} stands for exactly one leftmost label (RFC 8461 4.1); case and a trailing dot are ignored.
 * Immutable.
 *
 * @param mode            what the domain asks of senders
 * @param mx              the MX host patterns, lower case, no trailing dot
 * @param maxAgeSeconds   how long the policy may be used after it was fetched
 * @param id              the {@code id} of the {@code _mta-sts} TXT record it was fetched under
 * @param fetchedAtMillis when it was fetched (epoch milliseconds)
 */
public record MtaStsPolicy(Mode mode, List<String> mx, long maxAgeSeconds, String id, long fetchedAtMillis) {

    /** Largest max_age the RFC allows: one year. */
    public static final long MAX_AGE_LIMIT = 31_557_600L;
    /** Largest policy body read (RFC 8461 3.3: senders may limit it; 64 KiB is what published resolvers use). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** A policy's mode. */
    public enum Mode {
        /** Only matching MX hosts, verified TLS, else no delivery. */
        ENFORCE,
        /** Deliver as usual; report what enforce would have refused. */
        TESTING,
        /** The domain withdrew its policy: deliver as without one. */
        NONE;

        /** The word in policies, metrics and logs. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Whether it may still be used at {@code nowMillis}. */
    public boolean validAt(long nowMillis) {
        return nowMillis < fetchedAtMillis + maxAgeSeconds * 1000L;
    }

    /** Whether {@code mxHost} (any case, trailing dot optional) matches one of the policy's patterns. */
    public boolean allows(String mxHost) {
        String host = SiteKey.normalise(mxHost);
        for (String pattern : mx) {
            if (io.sluice.util.HostPattern.matches(pattern, host)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The policy in {@code body}, fetched under TXT {@code id} at {@code nowMillis}.
     *
     * @throws IllegalArgumentException naming what is wrong (for logs and the fetch-failure count)
     */
    public static MtaStsPolicy parse(String body, String id, long nowMillis) {
        String version = null;
        Mode mode = null;
        long maxAge = -1;
        List<String> mx = new ArrayList<>();
        for (String raw : body.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("policy line without key: \"" + clip(line) + "\"");
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = mode(value);
                case "max_age" -> maxAge = maxAge(value);
                case "mx" -> mx.add(pattern(value));
                default -> { } // RFC 8461 3.2: unknown fields are ignored
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("policy version is " + (version == null ? "missing" : "\""
                    + clip(version) + "\"") + ", not STSv1");
        }
        if (mode == null) {
            throw new IllegalArgumentException("policy has no mode");
        }
        if (maxAge < 0) {
            throw new IllegalArgumentException("policy has no max_age");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException("policy in mode " + mode.word() + " lists no mx");
        }
        return new MtaStsPolicy(mode, mx, maxAge, id, nowMillis);
    }

    private static Mode mode(String value) {
        return switch (value) {
            case "enforce" -> Mode.ENFORCE;
            case "testing" -> Mode.TESTING;
            case "none" -> Mode.NONE;
            default -> throw new IllegalArgumentException("policy mode \"" + clip(value)
                    + "\" is not enforce, testing or none");
        };
    }

    private static long maxAge(String value) {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("policy max_age \"" + clip(value) + "\" is not a number of seconds");
        }
        long seconds = Long.parseLong(value);
        if (seconds > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("policy max_age " + seconds + " is above " + MAX_AGE_LIMIT);
        }
        return seconds;
    }

    private static String pattern(String value) {
        String p = value.toLowerCase(Locale.ROOT);
        p = p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
        String rest = p.startsWith("*.") ? p.substring(2) : p;
        if (rest.isEmpty() || rest.indexOf('*') >= 0 || !rest.matches("[a-z0-9_.-]+")) {
            throw new IllegalArgumentException("policy mx \"" + clip(value) + "\" is not a host name or *.name");
        }
        return p;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
